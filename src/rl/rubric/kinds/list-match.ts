// List match: 1 if the <answer> holds the same items in the same order as the reference list, else 0. Items
// are separated by a comma (spaces around it allowed) or by spaces alone, so "1, 5, 12", "1,5,12" and
// "1 5 12" are the same list, but "1,,5,12" has an empty item. One trailing period is dropped, integers are
// compared by value ("07" = "7") and, unless caseSensitive, letters ignore case. The sort task uses it.

import { XMLParser } from '../../parsers/xml.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

/** The items of a list written as text (see the file comment). */
export function splitList(text: string, caseSensitive = false): string[] {
  let s = text.trim();
  if (s.endsWith('.')) s = s.slice(0, -1).trimEnd();
  if (s === '') return [];
  return s.split(/\s*,\s*|\s+/).map((item) => {
    if (/^-?\d{1,15}$/.test(item)) return String(Number(item) === 0 ? 0 : Number(item));
    return caseSensitive ? item : item.toLowerCase();
  });
}

export const listMatch: CriterionKind = {
  kind: 'list_match',
  description: '1 if the <answer> is the reference list, items in order (separated by commas or spaces), else 0.',
  params: {
    field: { type: 'string', default: 'answer', description: 'XML field holding the list.' },
    caseSensitive: { type: 'boolean', default: false, description: 'Compare letters with their case.' },
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const caseSensitive = params.caseSensitive === true;
    const parser = new XMLParser([field]);
    return ({ completion, answer }) => {
      const got = parser.parseField(completion, field);
      if (got === undefined) return 0;
      const a = splitList(got, caseSensitive);
      const b = splitList(answer, caseSensitive);
      return a.length === b.length && a.every((x, i) => x === b[i]) ? 1 : 0;
    };
  },
};
