// Sort task: prompt "42, 7, 19", answer "7, 19, 42". Lists are comma-separated in prompts and answers; the
// correctness criterion, list_match, accepts any mix of commas and spaces between items ("7,19,42" and
// "7 19 42" are right too). Params: items ("numbers": integers 0..maxValue, default 99; "words": from a
// built-in list of 64 short words, compared in a-z order), minItems and maxItems (list length, default 3..5,
// repeats allowed) and descending (default false). Held-out split: see split.ts.

import type { Rng } from '../../engine/rng.ts';
import { ParamReader } from './params.ts';
import { hashSplit, requireSpace, sequenceSpace } from './split.ts';
import type { Task, TaskParams, TaskRow } from './types.ts';

const KNOWN_PARAMS = ['items', 'minItems', 'maxItems', 'maxValue', 'descending'] as const;
const SPLIT_SEED = 0x5eed_5027;

/** Short, common, lowercase, all distinct: the project's own list. */
export const SORT_WORDS: readonly string[] = (
  'ant bag bee box cat cow cup day dog ear egg elk fan fig fox gum hat hen ink jam jar jet key kit ' +
  'lamp leaf lime map mud net nut oak owl pan pea pen pig pot ram rat rug sea sun tea tin toe toy ' +
  'van web wig yak yam zip zoo bus cap dot fin gem hut log mop bat cod'
).split(' ');

export interface SortParams {
  items: 'numbers' | 'words';
  minItems: number;
  maxItems: number;
  maxValue: number;
  descending: boolean;
}

export function parseSortParams(params: TaskParams): SortParams {
  const p = new ParamReader('sort', params, KNOWN_PARAMS);
  const items = p.oneOf('items', 'numbers', ['numbers', 'words'] as const);
  const minItems = p.int('minItems', 3, 2, 20);
  const maxItems = p.int('maxItems', 5, 2, 20);
  p.range('minItems', minItems, 'maxItems', maxItems);
  if (items === 'words' && 'maxValue' in params) throw p.error('maxValue only applies when items is "numbers"');
  const maxValue = p.int('maxValue', 99, 1, 1_000_000);
  const descending = p.bool('descending', false);
  const symbols = items === 'numbers' ? maxValue + 1 : SORT_WORDS.length;
  requireSpace(p, sequenceSpace(symbols, minItems, maxItems), 'allow more items or larger values');
  return { items, minItems, maxItems, maxValue, descending };
}

export function createSortTask(params: TaskParams): Task {
  const { items, minItems, maxItems, maxValue, descending } = parseSortParams(params);
  const numeric = items === 'numbers';
  const compare = numeric
    ? (a: string, b: string) => Number(a) - Number(b)
    : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const draw = (rng: Rng): TaskRow => {
    const n = minItems + rng.int(maxItems - minItems + 1);
    const list = Array.from({ length: n }, () => (numeric ? String(rng.int(maxValue + 1)) : SORT_WORDS[rng.int(SORT_WORDS.length)]));
    const sorted = [...list].sort(compare);
    if (descending) sorted.reverse();
    return { prompt: list.join(', '), answer: sorted.join(', '), info: { items: list } };
  };
  const what = numeric ? `integers 0-${maxValue}` : 'words';
  const order = descending ? 'descending' : 'ascending';
  return {
    name: 'sort',
    description: `sort ${minItems === maxItems ? minItems : `${minItems}-${maxItems}`} ${what} in ${order} order`,
    systemPrompt: `Sort the list in ${order} ${numeric ? 'numeric' : 'alphabetical'} order. Reply with only the sorted list, comma-separated, inside <answer></answer> tags.`,
    correctnessCriterion: 'list_match',
    ...hashSplit(SPLIT_SEED, draw),
  };
}
