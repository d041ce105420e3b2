// A rubric: named, weighted criteria; reward = sum of weight * score. Weight 0 logs a criterion without
// rewarding it. A criterion that throws, rejects, or returns a non-finite number scores 0 and counts one
// error; its message is kept for display. Scoring is asynchronous: a batch is scored one criterion at a time
// over all completions (so custom code sets up its sandbox once per batch and the judge keeps its own
// concurrency limit), with the criteria themselves running concurrently.

import { CRITERIA, createCriterion, type CriterionRegistry } from './criteria.ts';
import {
  CRITERION_NAME_PATTERN,
  RubricError,
  type Criterion,
  type CriterionEnv,
  type CriterionSpec,
  type RubricBatchScore,
  type RubricScore,
  type ScoreContext,
} from './types.ts';

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** One criterion over a batch: a score or an Error per completion; never rejects. */
async function runCriterion(criterion: Criterion, ctxs: readonly ScoreContext[]): Promise<(number | Error)[]> {
  if (criterion.scoreBatch) {
    try {
      const out = await criterion.scoreBatch(ctxs);
      if (out.length !== ctxs.length) throw new Error(`scoreBatch returned ${out.length} results for ${ctxs.length} completions`);
      return out;
    } catch (e) {
      const error = asError(e);
      return ctxs.map(() => error);
    }
  }
  return Promise.all(
    ctxs.map(async (ctx) => {
      try {
        return await criterion(ctx);
      } catch (e) {
        return asError(e);
      }
    }),
  );
}

/** One criterion's result for one completion: its score, or 0 and why it failed. */
export interface CriterionOutcome {
  score: number;
  error?: string;
}

function settle(value: unknown): CriterionOutcome {
  if (value instanceof Error) return { score: 0, error: value.message };
  if (typeof value !== 'number' || !Number.isFinite(value)) return { score: 0, error: `returned a non-finite score (${String(value)})` };
  return { score: value };
}

/**
 * One criterion over a batch under the rubric's rules (a throw, a rejection or a non-finite number scores 0
 * with its message), for a criterion outside any rubric (evaluation's default correctness). Never rejects.
 */
export async function scoreCriterion(criterion: Criterion, ctxs: readonly ScoreContext[]): Promise<CriterionOutcome[]> {
  return (await runCriterion(criterion, ctxs)).map(settle);
}

export class Rubric {
  readonly criteria: readonly CriterionSpec[];
  /** Host services lent to criteria (the judge's key); also used for criteria built later (evaluate). */
  readonly env: CriterionEnv;
  private readonly registry: CriterionRegistry;
  private readonly impls: Criterion[];

  /**
   * Throws RubricError for an empty list, a bad or repeated name, an unknown kind, a non-finite weight or
   * invalid params. `registry` defaults to the built-in criteria kinds; `env` lends host services.
   */
  constructor(criteria: readonly CriterionSpec[], registry: CriterionRegistry = CRITERIA, env: CriterionEnv = {}) {
    if (criteria.length === 0) throw new RubricError('a rubric needs at least one criterion');
    const seen = new Set<string>();
    this.impls = criteria.map((c) => {
      if (!CRITERION_NAME_PATTERN.test(c.name)) throw new RubricError(`criterion name '${c.name}' must be 1-64 letters, digits, _ . or -`);
      if (seen.has(c.name)) throw new RubricError(`duplicate criterion name '${c.name}'`);
      seen.add(c.name);
      if (!Number.isFinite(c.weight)) throw new RubricError(`criterion '${c.name}': weight must be a finite number`);
      return createCriterion(c.kind, c.params, registry, env);
    });
    this.criteria = criteria.map((c) => ({ ...c, params: { ...c.params } }));
    this.registry = registry;
    this.env = env;
  }

  get names(): string[] {
    return this.criteria.map((c) => c.name);
  }

  /**
   * Slow one-off checks before training (load the sandbox, compile custom code). Throws RubricError naming
   * the criterion, e.g. "criterion 'style': custom code does not compile: SyntaxError: ... (line 2)".
   */
  async prepare(): Promise<void> {
    await Promise.all(
      this.impls.map(async (impl, k) => {
        try {
          await impl.prepare?.();
        } catch (e) {
          throw new RubricError(`criterion '${this.criteria[k].name}': ${asError(e).message}`);
        }
      }),
    );
  }

  /**
   * The criterion used for `kind` when measuring correctness: this rubric's own criterion of that kind when
   * it has one (same params), else that kind with default params (accuracy must not depend on the reward).
   */
  criterionOfKind(kind: string): Criterion {
    const k = this.criteria.findIndex((c) => c.kind === kind);
    return k >= 0 ? this.impls[k] : createCriterion(kind, {}, this.registry, this.env);
  }

  async score(ctx: ScoreContext): Promise<RubricScore> {
    return (await this.scoreEach([ctx]))[0];
  }

  /** Score many completions; one RubricScore per completion, in order. */
  async scoreEach(ctxs: readonly ScoreContext[]): Promise<RubricScore[]> {
    const results = await Promise.all(this.impls.map((impl) => scoreCriterion(impl, ctxs)));
    return ctxs.map((_, i) => {
      const out: RubricScore = { total: 0, scores: {}, errors: {}, errorMessages: {} };
      this.criteria.forEach((c, k) => {
        const { score, error } = results[k][i];
        if (error !== undefined) out.errorMessages[c.name] = error;
        out.scores[c.name] = score;
        out.errors[c.name] = error === undefined ? 0 : 1;
        out.total += c.weight * score;
      });
      return out;
    });
  }

  /** `scoreEach` in columns: per-completion totals and scores, error counts summed, first message kept. */
  async scoreBatch(ctxs: readonly ScoreContext[]): Promise<RubricBatchScore> {
    const out: RubricBatchScore = { total: [], scores: {}, errors: {}, errorMessages: {} };
    for (const c of this.criteria) {
      out.scores[c.name] = [];
      out.errors[c.name] = 0;
    }
    for (const s of await this.scoreEach(ctxs)) {
      out.total.push(s.total);
      for (const c of this.criteria) {
        out.scores[c.name].push(s.scores[c.name]);
        out.errors[c.name] += s.errors[c.name];
        if (c.name in s.errorMessages && !(c.name in out.errorMessages)) out.errorMessages[c.name] = s.errorMessages[c.name];
      }
    }
    return out;
  }
}
