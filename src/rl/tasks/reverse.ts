// Reverse task: prompt "spam", answer "maps". Params: minLength and maxLength (string length, default 3..6)
// and alphabet (distinct lowercase letters a-z, default all 26). Lowercase letters only because the
// correctness criterion, correct_answer, compares lowercased, whitespace-collapsed text: with capitals,
// spaces or digits it would accept answers that are not the exact reversal. Held-out split: see split.ts.

import type { Rng } from '../../engine/rng.ts';
import { ParamReader } from './params.ts';
import { hashSplit, requireSpace, sequenceSpace } from './split.ts';
import type { Task, TaskParams, TaskRow } from './types.ts';

const KNOWN_PARAMS = ['minLength', 'maxLength', 'alphabet'] as const;
const MAX_LENGTH_LIMIT = 64;
const SPLIT_SEED = 0x5eed_4e7e;

export interface ReverseParams {
  minLength: number;
  maxLength: number;
  alphabet: string;
}

export function parseReverseParams(params: TaskParams): ReverseParams {
  const p = new ParamReader('reverse', params, KNOWN_PARAMS);
  const minLength = p.int('minLength', 3, 1, MAX_LENGTH_LIMIT);
  const maxLength = p.int('maxLength', 6, 1, MAX_LENGTH_LIMIT);
  p.range('minLength', minLength, 'maxLength', maxLength);
  const alphabet = p.string('alphabet', 'abcdefghijklmnopqrstuvwxyz', 26);
  if (!/^[a-z]+$/.test(alphabet)) {
    throw p.error(`alphabet must be lowercase letters a-z (correct_answer ignores case and spacing), got ${JSON.stringify(alphabet)}`);
  }
  const repeated = [...alphabet].find((c, i) => alphabet.indexOf(c) !== i);
  if (repeated) throw p.error(`letter '${repeated}' repeated in alphabet`);
  requireSpace(p, sequenceSpace(alphabet.length, minLength, maxLength), 'use a longer alphabet or longer strings');
  return { minLength, maxLength, alphabet };
}

export function createReverseTask(params: TaskParams): Task {
  const { minLength, maxLength, alphabet } = parseReverseParams(params);
  const draw = (rng: Rng): TaskRow => {
    const length = minLength + rng.int(maxLength - minLength + 1);
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[rng.int(alphabet.length)];
    return { prompt: text, answer: [...text].reverse().join(''), info: { length } };
  };
  return {
    name: 'reverse',
    description: `reverse a string of ${minLength === maxLength ? minLength : `${minLength}-${maxLength}`} letters from "${alphabet}"`,
    systemPrompt: 'Reverse the text. Reply with only the reversed text, inside <answer></answer> tags.',
    correctnessCriterion: 'correct_answer',
    ...hashSplit(SPLIT_SEED, draw),
  };
}
