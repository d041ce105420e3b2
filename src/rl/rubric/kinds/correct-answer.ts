// correct_answer: 1 when the parsed answer field equals the reference after normalisation, else 0.

import { XMLParser } from '../../parsers/xml.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

/**
 * Normalise an answer for exact-match comparison: trim, collapse whitespace, lowercase, drop one trailing
 * period; a plain decimal number is rewritten canonically ("08" -> "8", "+3.50" -> "3.5", "-0" -> "0").
 */
export function normalizeAnswer(text: string): string {
  let s = text.trim().split(/\s+/).join(' ').toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1).trimEnd();
  if (s.length <= 40 && /^[+-]?\d+(\.\d+)?$/.test(s)) {
    const v = Number(s);
    if (Number.isFinite(v)) s = String(v === 0 ? 0 : v);
  }
  return s;
}

export const correctAnswer: CriterionKind = {
  kind: 'correct_answer',
  description: '1 if the parsed <answer> matches the reference answer after normalisation, else 0.',
  params: {
    field: { type: 'string', default: 'answer', description: 'XML field holding the answer.' },
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const parser = new XMLParser([field]);
    return ({ completion, answer }) => {
      const got = parser.parseField(completion, field);
      return got !== undefined && normalizeAnswer(got) === normalizeAnswer(answer) ? 1 : 0;
    };
  },
};
