// Exact word count: 1 if the <answer> field (or, with field "", the whole completion) has exactly N words,
// where N is the reference answer (an integer, as the length task writes it), else 0. A word is a run of
// non-space characters holding at least one letter or digit, so "well-known" is one word and a lone "-" none.

import { XMLParser } from '../../parsers/xml.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Number of words in `text` (see the file comment). */
export function countWords(text: string): number {
  let n = 0;
  for (const token of text.split(/\s+/)) if (WORD_CHAR.test(token)) n++;
  return n;
}

export const exactWordCount: CriterionKind = {
  kind: 'exact_word_count',
  description: '1 if the <answer> has exactly as many words as the reference answer says (an integer), else 0.',
  params: {
    field: { type: 'string', default: 'answer', description: 'XML field to count the words of; "" counts the whole completion.' },
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const parser = field === '' ? undefined : new XMLParser([field]);
    return ({ completion, answer }) => {
      if (!/^\s*\d{1,6}\s*$/.test(answer)) throw new Error(`exact_word_count: the reference answer must be a word count, got ${JSON.stringify(answer.slice(0, 40))}`);
      const text = parser ? parser.parseField(completion, field) : completion;
      return text !== undefined && countWords(text) === Number(answer) ? 1 : 0;
    };
  },
};
