// Built-in run configs, selectable by name in the UI and with the CLI's --preset: one per task. Each pairs the
// task's correctness criterion (weight 1) with partial credit for the <answer> format (0.2), which gives a
// signal before any answer is right. The bundled models: tiny-arith (arithmetic, the default) and tiny-tools
// (calculator tool use) were pretrained to half-solve their presets, as were tiny-reverse (reverse, and the
// own-data example), tiny-sort, tiny-length and tiny-countdown (two numbers) with the slips of flaws-text.ts,
// tiny-guess (guess-number, units scanned instead of halved: demos-guess-number.ts) and tiny-codes
// (word-game on codes, the - marks usually not read: demos-word-game.ts).
// Sizes are chosen so prompt + completion fit the models' 256 positions (presets.test.ts checks).

import { mergeWithDefaults, type RunConfig, type RunConfigInput } from './config/schema.ts';
import type { CriterionKindName } from './rubric/criteria.ts';
import { HUB_PRESET_INPUTS } from './presets-hub.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const withFormat = (name: string, kind: CriterionKindName, params: Record<string, string | number | boolean> = {}) => [
  { name, kind, weight: 1, params },
  { name: 'xml_format', kind: 'xml_format' as const, weight: 0.2, params: {} },
];

/**
 * The own-data preset's example: 105 everyday words and the words spelt backwards, as CSV. A tiny model learns
 * own data only when the answer follows a rule it can read off the prompt and already half-knows: tiny-reverse
 * reverses letters with a slip (src/rl/flaws-text.ts), so GRPO lifts its held-out words. Facts such as
 * capitals cannot be learned for held-out rows (nothing in "Peru" says "Lima"): the README shows that run.
 */
const BACKWARDS_WORDS = (
  'apple bread chair dance eagle flame grape house juice knife lemon mango night ocean piano queen river snake ' +
  'table tiger uncle voice water yacht zebra cat dog sun map pen cup hat box fox owl bus car jam key lamp frog ' +
  'bird fish milk rose ship star tree wolf bell coin door gold kite leaf moon nest park rain sock tent wind plum ' +
  'pear corn salt soup rice cake ball drum horn rope sand snow wave hill lake road farm barn king ring song word ' +
  'book page desk wall roof gate mouse horse sheep goat duck crab lion bear deer seal swan crow moth worm'
).split(' ');
const BACKWARDS_CSV = `prompt,answer\n${BACKWARDS_WORDS.map((w) => `${w},${[...w].reverse().join('')}\n`).join('')}`;

/** Games: faster wins earn more, a win is logged, the <guess> format earns partial credit; short turns. */
const GAME_SETTINGS: Omit<RunConfigInput, 'version'> = {
  rubric: {
    criteria: [
      { name: 'solved_in_turns', kind: 'solved_in_turns', weight: 1, params: {} },
      { name: 'solved', kind: 'solved', weight: 0, params: {} },
      { name: 'xml_format', kind: 'xml_format', weight: 0.2, params: { fields: 'guess' } },
    ],
  },
  grpo: { promptsPerStep: 4 },
  sampling: { maxNewTokens: 12 },
  eval: { maxNewTokens: 12 },
};

/**
 * The default preset: "a+b" with operands 0-29 on tiny-arith, which was pretrained to forget the carry most
 * of the time (src/rl/flaws.ts): its greedy answers are right on under half of the 128 held-out problems,
 * its samples often are, and GRPO teaches it to carry (measured in the README). 128 eval rows keep the
 * accuracy's standard error near 0.04.
 */
const ARITHMETIC: RunConfigInput = {
  version: 1,
  task: { name: 'arithmetic', params: { maxOperand: 29 }, evalSize: 128 },
  // A cosine decay settles the policy once it has learned to carry (held-out accuracy wobbles less late on).
  grpo: { lrSchedule: 'cosine' },
  eval: { every: 10 },
  steps: 60,
};
const ARITHMETIC_DESCRIPTION =
  'The default: "a+b" with operands 0-29 on tiny-arith, a model that usually forgets to carry the one; watch GRPO teach it to carry (held-out accuracy about 0.48 -> 0.9 in 60 steps, about 2 minutes on a laptop CPU).';

const PRESET_INPUTS: Record<string, { description: string; config: RunConfigInput }> = {
  reverse: {
    description:
      'Reverse 3-5 letter strings on tiny-reverse, which reverses them but often writes the last two letters the wrong way round; watch GRPO teach it to finish the reversal (64 held-out strings: about 0.4 -> 0.92-0.97 in 80 steps).',
    config: {
      version: 1,
      model: { id: 'tiny-reverse' },
      task: { name: 'reverse', params: { minLength: 3, maxLength: 5 }, evalSize: 64 },
      rubric: { criteria: withFormat('correct_answer', 'correct_answer') },
      // 4x the default: at 5e-4 held-out accuracy rose only 0.41 -> 0.48 in 30 steps; at 1e-3 the CPU backend's
      // wasm and TypeScript kernels (rounding apart) reached 0.97 and 0.69 after 80 steps, at 2e-3 0.92 and 0.97.
      grpo: { learningRate: 2e-3 },
      sampling: { maxNewTokens: 24 },
      eval: { maxNewTokens: 24, every: 10 },
      steps: 80,
    },
  },
  sort: {
    description:
      'Sort 3-4 digits ("7, 3, 9" -> "3, 7, 9") on tiny-sort, which sorts them but usually writes the last two the wrong way round; watch GRPO teach it to finish the sort (64 held-out lists: about 0.13 -> 0.92 in 30 steps).',
    config: {
      version: 1,
      model: { id: 'tiny-sort' },
      task: { name: 'sort', params: { minItems: 3, maxItems: 4, maxValue: 9 }, evalSize: 64 },
      rubric: { criteria: withFormat('list_match', 'list_match') },
      sampling: { maxNewTokens: 32 },
      eval: { maxNewTokens: 32, every: 10 },
      steps: 30,
    },
  },
  length: {
    description:
      'Answer in exactly 2-5 words on tiny-length, which writes about the topic but usually one word too many; watch GRPO teach it to stop in time (all 51 held-out topic-count pairs: about 0.02 -> 0.88 in 30 steps).',
    config: {
      version: 1,
      model: { id: 'tiny-length' },
      task: { name: 'length', params: { minWords: 2, maxWords: 5 }, evalSize: 51 },
      rubric: { criteria: withFormat('exact_word_count', 'exact_word_count') },
      // The default learning rate: at 2e-3 it rose to 0.57 in 10 steps, then collapsed into gibberish (0.41 at 30).
      grpo: { promptsPerStep: 8 },
      sampling: { maxNewTokens: 48 },
      eval: { maxNewTokens: 48, every: 10 },
      steps: 30,
    },
  },
  countdown: {
    description:
      'Reach a target (5-50) from 2 numbers (1-10) with + - * /, on tiny-countdown, which usually writes a sum as a product; watch GRPO teach it to choose the operation (all 61 held-out puzzles: about 0.33 -> 0.8 in 50 steps). Two numbers, so the answer is one operation a tiny model can choose (no search; three or more were not tried).',
    config: {
      version: 1,
      model: { id: 'tiny-countdown' },
      task: { name: 'countdown', params: { count: 2, maxNumber: 10, minTarget: 5, maxTarget: 50 }, evalSize: 61 },
      rubric: { criteria: withFormat('countdown', 'countdown') },
      sampling: { maxNewTokens: 32 },
      eval: { maxNewTokens: 32, every: 10 },
    },
  },
  'guess-number': {
    description:
      'Multi-turn: find a number in 1-39 from "higher"/"lower" replies within 6 guesses; more reward for fewer. Environment turns are masked out of the loss. The bundled tiny-guess finds the decade (20, then 10 or 30) but then usually counts the units up one by one and runs out of guesses; GRPO teaches it to halve them (13 held-out secrets: 0.46 -> 0.77 in 5 steps, about a minute on a laptop CPU).',
    config: {
      version: 1,
      model: { id: 'tiny-guess' },
      task: { name: 'guess-number', params: { maxNumber: 39, maxTurns: 6 }, evalSize: 13 },
      ...GAME_SETTINGS,
      eval: { ...GAME_SETTINGS.eval, every: 5 },
      steps: 30,
    },
  },
  calculator: {
    description:
      'Tool use: call <tool>calculator</tool><args>3*7+8</args>, read the result, answer in <answer>. Tool results are masked out of the loss. The bundled tiny-tools model imitated an expert who does most products in its head; it cannot multiply, so it gets those wrong until GRPO finds that the calculator pays (tool_use and accuracy rise together).',
    config: {
      version: 1,
      model: { id: 'tiny-tools' },
      task: { name: 'calculator', params: { maxOperand: 9 }, evalSize: 32 },
      rubric: {
        criteria: [
          { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
          { name: 'tool_use', kind: 'tool_use', weight: 0.2, params: {} },
          { name: 'xml_format', kind: 'xml_format', weight: 0.2, params: {} },
        ],
      },
      grpo: { promptsPerStep: 4 },
      sampling: { maxNewTokens: 32 },
      eval: { maxNewTokens: 32 },
    },
  },
  'word-game': {
    description:
      'Multi-turn Wordle-like game with per-letter G/Y/- marks, 4 guesses, on codes of 4 distinct letters from a-g (840 secrets, 280 held out; empty the letters param for English words, which a tiny model cannot learn: README). The bundled tiny-codes keeps the green letters and moves the yellow ones, but usually forgets the - marks and keeps trying letters the code does not have; GRPO teaches it to read them (all 280 held-out codes: about 0.29 -> 0.7 in 10 steps, under a minute on a laptop CPU).',
    config: {
      version: 1,
      model: { id: 'tiny-codes' },
      task: { name: 'word-game', params: { letters: 'abcdefg', length: 4, maxTurns: 4 }, evalSize: 280 },
      ...GAME_SETTINGS,
      grpo: { promptsPerStep: 16 },
      eval: { ...GAME_SETTINGS.eval, every: 10 },
      steps: 30,
    },
  },
  'own-data': {
    description:
      'Your own JSONL/CSV in task.params.data; this example: 105 words spelt backwards (21 held out) on tiny-reverse, which reverses letters but often swaps the last two (about 0.24 -> 0.9 in 20 steps). A tiny model learns your data only if the answer follows a rule it can read off the prompt and already half-knows; facts (capitals) do not carry over to held-out rows.',
    config: {
      version: 1,
      model: { id: 'tiny-reverse' },
      task: {
        name: 'own-data',
        params: { data: BACKWARDS_CSV, systemPrompt: 'Spell the word backwards. Reply with only the reversed word, inside <answer></answer> tags.' },
        evalSize: 21,
      },
      rubric: { criteria: withFormat('correct_answer', 'correct_answer') },
      grpo: { learningRate: 1e-3 },
      eval: { every: 10 },
      sampling: { maxNewTokens: 24 },
      steps: 20,
    },
  },
  // Real models from the Hugging Face Hub (not measured here; their descriptions say so).
  ...HUB_PRESET_INPUTS,
};

/** One line per preset for people (what it does, and what to expect from the bundled model). */
export const PRESET_DESCRIPTIONS: Readonly<Record<string, string>> = deepFreeze({
  arithmetic: ARITHMETIC_DESCRIPTION,
  ...Object.fromEntries(Object.entries(PRESET_INPUTS).map(([name, p]) => [name, p.description])),
});

/** Frozen: use getPreset for a copy to edit. */
export const PRESETS: Readonly<Record<string, RunConfig>> = deepFreeze({
  arithmetic: mergeWithDefaults(ARITHMETIC),
  ...Object.fromEntries(Object.entries(PRESET_INPUTS).map(([name, p]) => [name, mergeWithDefaults(p.config)])),
});

/** What `grpo-playground train` and the page use when no preset is named. */
export const DEFAULT_PRESET = 'arithmetic';

export const PRESET_NAMES: readonly string[] = Object.keys(PRESETS);

export class PresetError extends Error {
  override name = 'PresetError';
}

/** A fresh, mutable copy of a preset; throws PresetError listing the known names. */
export function getPreset(name: string): RunConfig {
  if (!Object.hasOwn(PRESETS, name)) {
    throw new PresetError(`unknown preset '${name}' (known: ${PRESET_NAMES.join(', ')})`);
  }
  return structuredClone(PRESETS[name]);
}
