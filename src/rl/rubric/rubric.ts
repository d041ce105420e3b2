// A rubric: named, weighted criteria; reward = sum of weight * score. Weight 0 logs a criterion without
// rewarding it. A criterion that throws, or returns a non-finite number, scores 0 and counts one error.

import { CRITERIA, createCriterion, type CriterionRegistry } from './criteria.ts';
import {
  CRITERION_NAME_PATTERN,
  RubricError,
  type CriterionFn,
  type CriterionSpec,
  type RubricBatchScore,
  type RubricScore,
  type ScoreContext,
} from './types.ts';

export class Rubric {
  readonly criteria: readonly CriterionSpec[];
  private readonly fns: CriterionFn[];

  /**
   * Throws RubricError for an empty list, a bad or repeated name, an unknown kind, a non-finite weight or
   * invalid params. `registry` defaults to the built-in criteria kinds.
   */
  constructor(criteria: readonly CriterionSpec[], registry: CriterionRegistry = CRITERIA) {
    if (criteria.length === 0) throw new RubricError('a rubric needs at least one criterion');
    const seen = new Set<string>();
    this.fns = criteria.map((c) => {
      if (!CRITERION_NAME_PATTERN.test(c.name)) throw new RubricError(`criterion name '${c.name}' must be 1-64 letters, digits, _ . or -`);
      if (seen.has(c.name)) throw new RubricError(`duplicate criterion name '${c.name}'`);
      seen.add(c.name);
      if (!Number.isFinite(c.weight)) throw new RubricError(`criterion '${c.name}': weight must be a finite number`);
      return createCriterion(c.kind, c.params, registry);
    });
    this.criteria = criteria.map((c) => ({ ...c, params: { ...c.params } }));
  }

  get names(): string[] {
    return this.criteria.map((c) => c.name);
  }

  score(ctx: ScoreContext): RubricScore {
    const out: RubricScore = { total: 0, scores: {}, errors: {}, errorMessages: {} };
    this.criteria.forEach((c, k) => {
      let value: number;
      let error = 0;
      try {
        value = this.fns[k](ctx);
      } catch (e) {
        out.errorMessages[c.name] = e instanceof Error ? e.message : String(e);
        value = 0;
        error = 1;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        out.errorMessages[c.name] = `returned a non-finite score (${String(value)})`;
        value = 0;
        error = 1;
      }
      out.scores[c.name] = value;
      out.errors[c.name] = error;
      out.total += c.weight * value;
    });
    return out;
  }

  /** `score` over many completions: per-completion totals and scores, error counts summed. */
  scoreBatch(ctxs: ScoreContext[]): RubricBatchScore {
    const out: RubricBatchScore = { total: [], scores: {}, errors: {}, errorMessages: {} };
    for (const c of this.criteria) {
      out.scores[c.name] = [];
      out.errors[c.name] = 0;
    }
    for (const ctx of ctxs) {
      const s = this.score(ctx);
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
