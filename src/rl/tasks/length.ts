// Length task: prompt "5 words about the sea", answer "5" (the required word count, which the
// correctness criterion exact_word_count compares with the number of words inside <answer>). Params: minWords
// and maxWords (default 3..8) and topics (comma-separated, default a built-in list of 40). A problem is a
// (topic, count) pair, so the space is small and topic-bound: held-out pairs are unseen combinations of
// topics and counts that training does see separately. Held-out split: see split.ts.

import type { Rng } from '../../engine/rng.ts';
import { ParamReader } from './params.ts';
import { hashSplit, requireSpace } from './split.ts';
import type { Task, TaskParams, TaskRow } from './types.ts';

const KNOWN_PARAMS = ['minWords', 'maxWords', 'topics'] as const;
const SPLIT_SEED = 0x5eed_1e97;
const MAX_TOPICS = 200;

export const LENGTH_TOPICS: readonly string[] = [
  'the sea', 'rain', 'cats', 'dogs', 'coffee', 'the moon', 'winter', 'summer', 'trees', 'music',
  'books', 'bread', 'rivers', 'mountains', 'birds', 'the wind', 'cities', 'trains', 'gardens', 'snow',
  'friends', 'the sun', 'apples', 'bicycles', 'clocks', 'fire', 'the night', 'islands', 'bees', 'tea',
  'stars', 'forests', 'boats', 'cheese', 'maps', 'bridges', 'storms', 'horses', 'lamps', 'soup',
];

export interface LengthParams {
  minWords: number;
  maxWords: number;
  topics: string[];
}

export function parseLengthParams(params: TaskParams): LengthParams {
  const p = new ParamReader('length', params, KNOWN_PARAMS);
  const minWords = p.int('minWords', 3, 1, 100);
  const maxWords = p.int('maxWords', 8, 1, 100);
  p.range('minWords', minWords, 'maxWords', maxWords);
  let topics = [...LENGTH_TOPICS];
  if ('topics' in params) {
    topics = p.string('topics', '', 10_000).split(',').map((t) => t.trim());
    if (topics.some((t) => t.length === 0)) throw p.error('topics must be a comma-separated list of non-empty topics');
    if (topics.length > MAX_TOPICS) throw p.error(`at most ${MAX_TOPICS} topics, got ${topics.length}`);
    const repeated = topics.find((t, i) => topics.indexOf(t) !== i);
    if (repeated !== undefined) throw p.error(`topic '${repeated}' repeated`);
  }
  requireSpace(p, topics.length * (maxWords - minWords + 1), 'add topics or widen minWords..maxWords');
  return { minWords, maxWords, topics };
}

export function createLengthTask(params: TaskParams): Task {
  const { minWords, maxWords, topics } = parseLengthParams(params);
  const draw = (rng: Rng): TaskRow => {
    const words = minWords + rng.int(maxWords - minWords + 1);
    const topic = topics[rng.int(topics.length)];
    return { prompt: `${words} word${words === 1 ? '' : 's'} about ${topic}`, answer: String(words), info: { words, topic } };
  };
  return {
    name: 'length',
    description: `write exactly ${minWords === maxWords ? minWords : `${minWords}-${maxWords}`} words about one of ${topics.length} topics`,
    systemPrompt: 'Reply inside <answer></answer> tags with exactly as many words as asked for.',
    correctnessCriterion: 'exact_word_count',
    ...hashSplit(SPLIT_SEED, draw),
  };
}
