// repetition_penalty: minus the fraction of repeated n-grams, in [-1, 0]: 0 when no n-gram repeats, near -1
// when the text is one n-gram over and over. Use a positive weight (the score is already negative).

import { codePoints, FIELD_PARAM, selectText, validateField, words } from '../text.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

/** 1 - distinct n-grams / all n-grams (0 when the text has fewer than n units). */
export function repeatedFraction(units: readonly string[], n: number): number {
  const total = units.length - n + 1;
  if (total <= 0) return 0;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) seen.add(units.slice(i, i + n).join('\u0000'));
  return 1 - seen.size / total;
}

export const repetitionPenalty: CriterionKind = {
  kind: 'repetition_penalty',
  description: '-(1 - distinct n-grams / n-grams): 0 without repetition, towards -1 for a loop. Use a positive weight.',
  params: {
    n: { type: 'number', default: 3, min: 1, max: 32, integer: true, description: 'N-gram size.' },
    unit: { type: 'string', default: 'words', choices: ['words', 'chars'], description: 'N-grams of words or of characters.' },
    field: FIELD_PARAM,
  },
  validate(params) {
    validateField(params.field);
  },
  create(params: CriterionParams): CriterionFn {
    const n = Number(params.n);
    const split = params.unit === 'chars' ? codePoints : words;
    const field = String(params.field);
    return (ctx) => {
      const text = selectText(ctx, field);
      return text === undefined ? 0 : 0 - repeatedFraction(split(text), n); // 0 - x: no -0
    };
  },
};
