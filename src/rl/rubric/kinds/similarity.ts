// similarity: how close the answer is to the reference, as the LCS ratio 2 * LCS(a, b) / (|a| + |b|) in
// [0, 1] (1 = identical), over characters (code points) or words. O(|a| * |b|), so each side is cut to
// MAX_UNITS units first.

import { codePoints, FIELD_PARAM, selectText, validateField, words } from '../text.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

/** Longest sequence compared on each side: 2000 x 2000 = 4M cells, a few milliseconds. */
export const MAX_UNITS = 2000;

/** Length of the longest common subsequence (one rolling row of the DP table). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length < b.length) [a, b] = [b, a];
  const row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    let diag = 0; // row[j - 1] of the previous row
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diag + 1 : Math.max(up, row[j - 1]);
      diag = up;
    }
  }
  return row[b.length];
}

/** 2 * LCS / (|a| + |b|); 1 when both are empty. */
export function lcsRatio(a: readonly string[], b: readonly string[]): number {
  if (a.length + b.length === 0) return 1;
  return (2 * lcsLength(a, b)) / (a.length + b.length);
}

export const similarity: CriterionKind = {
  kind: 'similarity',
  description: 'LCS ratio 2*LCS/(|a|+|b|) between the answer and the reference, in [0, 1].',
  params: {
    field: { ...FIELD_PARAM, default: 'answer' },
    unit: { type: 'string', default: 'chars', choices: ['chars', 'words'], description: 'Compare characters (code points) or words.' },
    caseSensitive: { type: 'boolean', default: true, description: 'Compare letter case exactly.' },
  },
  validate(params) {
    validateField(params.field);
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const split = params.unit === 'words' ? words : codePoints;
    const fold = params.caseSensitive === true ? (s: string) => s : (s: string) => s.toLowerCase();
    return (ctx) => {
      const text = selectText(ctx, field);
      if (text === undefined) return 0;
      const a = split(fold(text.trim())).slice(0, MAX_UNITS);
      const b = split(fold(ctx.answer.trim())).slice(0, MAX_UNITS);
      return lcsRatio(a, b);
    };
  },
};
