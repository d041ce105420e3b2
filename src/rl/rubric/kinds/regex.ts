// regex: 1 when a user regular expression matches the completion (or a field), else 0. The pattern is
// untrusted: it runs in the QuickJS sandbox, so catastrophic backtracking ("^(a+)+$") fails that completion at
// the time limit instead of freezing the page. Guards: pattern <= 1000 characters, flags from "imsu" (no
// stateful g/y), texts cut to 100,000 characters.

import { runRegexTests, DEFAULT_SANDBOX_LIMITS } from '../sandbox.ts';
import { FIELD_PARAM, selectText, validateField } from '../text.ts';
import type { Criterion, CriterionKind, CriterionParams, ScoreContext } from '../types.ts';

export const MAX_PATTERN = 1000;
export const MAX_REGEX_INPUT = 100_000;

export const regex: CriterionKind = {
  kind: 'regex',
  description: '1 if the pattern matches (anywhere: anchor with ^ and $ for the whole text), else 0. Runs sandboxed with a time limit.',
  params: {
    pattern: { type: 'string', default: '', maxLength: MAX_PATTERN, description: 'JavaScript regular expression, without slashes.' },
    flags: { type: 'string', default: '', maxLength: 4, description: 'Any of i (ignore case), m (multiline), s (dot matches newline), u (unicode).' },
    field: FIELD_PARAM,
    timeLimitMs: { type: 'number', default: DEFAULT_SANDBOX_LIMITS.timeLimitMs, min: 1, max: 1000, description: 'Time limit per completion in milliseconds.' },
  },
  validate(params) {
    const pattern = String(params.pattern);
    const flags = String(params.flags);
    if (pattern === '') throw new Error("param 'pattern' must not be empty");
    if (!/^[imsu]*$/.test(flags) || new Set(flags).size !== flags.length) throw new Error(`param 'flags' must be distinct letters of "imsu", got '${flags}'`);
    validateField(params.field);
    try {
      new RegExp(pattern, flags); // compiling does not run the pattern; it only checks the syntax
    } catch (e) {
      throw new Error(`invalid pattern: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  },
  create(params: CriterionParams): Criterion {
    const pattern = String(params.pattern);
    const flags = String(params.flags);
    const field = String(params.field);
    const limits = { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: Number(params.timeLimitMs) };
    const scoreBatch = async (ctxs: readonly ScoreContext[]): Promise<(number | Error)[]> => {
      const texts = ctxs.map((ctx) => selectText(ctx, field));
      const present = texts.flatMap((t, i) => (t === undefined ? [] : [i]));
      const results = await runRegexTests(pattern, flags, present.map((i) => texts[i]!.slice(0, MAX_REGEX_INPUT)), limits);
      const out: (number | Error)[] = ctxs.map(() => 0);
      present.forEach((i, k) => {
        const r = results[k];
        out[i] = r instanceof Error ? new Error(`regex ${r.message}`) : r ? 1 : 0;
      });
      return out;
    };
    const score = async (ctx: ScoreContext) => {
      const [r] = await scoreBatch([ctx]);
      if (r instanceof Error) throw r;
      return r;
    };
    return Object.assign(score, { scoreBatch });
  },
};
