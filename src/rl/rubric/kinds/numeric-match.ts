// numeric_match: 1 when the number in the answer field is within tolerance of the reference number, else 0.
// |got - ref| <= max(absTol, relTol * |ref|). A reference that is not a number is an error (counted).

import { FIELD_PARAM, selectText, validateField } from '../text.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

// Unambiguous patterns (no two quantifiers competing for the same digits), so failing is linear time.
const PLAIN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const FRACTION = /^([+-]?\d+)\s*\/\s*(\d+)$/;
const ANY_NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i;
/** A number written out is never longer than this; longer texts are only searched (loose) for one. */
const MAX_NUMBER = 400;
/** Only this much of a text is searched for a number. */
const MAX_SCAN = 100_000;

/**
 * Read a number written as "42", "-3.5", "1e3", "1,234.5", "3/4", optionally with $ or % around it. With
 * `loose`, fall back to the first number in the text ("8 apples" -> 8). Undefined when there is none.
 */
export function parseNumber(text: string, loose = false): number | undefined {
  let s = text.length > MAX_NUMBER ? '' : text.trim();
  s = s.replace(/^\$/, '').replace(/%$/, '').trim();
  if (s.endsWith('.') && !s.endsWith('..')) s = s.slice(0, -1);
  if (THOUSANDS.test(s)) s = s.replaceAll(',', '');
  if (PLAIN.test(s)) return finite(Number(s));
  const f = FRACTION.exec(s);
  if (f) return Number(f[2]) === 0 ? undefined : finite(Number(f[1]) / Number(f[2]));
  if (!loose) return undefined;
  const m = ANY_NUMBER.exec(text.slice(0, MAX_SCAN));
  return m ? finite(Number(m[0])) : undefined;
}

function finite(v: number): number | undefined {
  return Number.isFinite(v) ? v : undefined;
}

export const numericMatch: CriterionKind = {
  kind: 'numeric_match',
  description: '1 if the answer is a number within tolerance of the reference: |got - ref| <= max(absTol, relTol * |ref|).',
  params: {
    field: { ...FIELD_PARAM, default: 'answer' },
    absTol: { type: 'number', default: 0, min: 0, description: 'Absolute tolerance.' },
    relTol: { type: 'number', default: 1e-9, min: 0, description: 'Relative tolerance (a fraction of |ref|); the default absorbs float rounding.' },
  },
  validate(params) {
    validateField(params.field);
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const absTol = Number(params.absTol);
    const relTol = Number(params.relTol);
    return (ctx) => {
      const ref = parseNumber(ctx.answer);
      if (ref === undefined) throw new Error(`reference answer '${ctx.answer.slice(0, 40)}' is not a number`);
      const text = selectText(ctx, field);
      const got = text === undefined ? undefined : parseNumber(text, true);
      return got !== undefined && Math.abs(got - ref) <= Math.max(absTol, relTol * Math.abs(ref)) ? 1 : 0;
    };
  },
};
