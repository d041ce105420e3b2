// overlong_penalty: DAPO's soft overlong punishment (arXiv:2503.14476, eq. 13), in [-1, 0], on the
// completion length L in tokens:
//   0                                  if L <= L_max - L_cache
//   ((L_max - L_cache) - L) / L_cache  if L_max - L_cache < L <= L_max
//   -1                                 if L > L_max
// Use a positive weight. Needs ScoreContext.completionTokens (the trainer fills it).

import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

export function overlongPenalty(length: number, maxLength: number, cache: number): number {
  const start = maxLength - cache;
  if (length <= start) return 0;
  if (length > maxLength) return -1;
  return (start - length) / cache;
}

export const overlongPenaltyKind: CriterionKind = {
  kind: 'overlong_penalty',
  description: "DAPO's soft overlong penalty: 0 up to maxLength - cache tokens, then linear down to -1 at maxLength.",
  params: {
    maxLength: { type: 'number', default: 0, min: 0, integer: true, description: 'L_max in tokens; 0 = the sampling limit (sampling.maxNewTokens).' },
    cache: { type: 'number', default: 0, min: 0, integer: true, description: 'L_cache, the soft band in tokens; 0 = maxLength / 5 (DAPO: 4096 of 20480).' },
  },
  validate(params) {
    const maxLength = Number(params.maxLength);
    if (maxLength > 0 && Number(params.cache) > maxLength) throw new Error("param 'cache' must be <= maxLength");
  },
  create(params: CriterionParams): CriterionFn {
    return (ctx) => {
      if (ctx.completionTokens === undefined) throw new Error('needs the completion length in tokens (completionTokens), which this caller did not give');
      const maxLength = Number(params.maxLength) || ctx.maxNewTokens;
      if (!maxLength) throw new Error('needs maxLength, or the sampling limit (maxNewTokens) from the caller');
      const cache = Math.min(Number(params.cache) || Math.max(1, Math.round(maxLength / 5)), maxLength);
      return overlongPenalty(ctx.completionTokens, maxLength, cache);
    };
  },
};
