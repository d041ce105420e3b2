// Built-in run configs, selectable by name in the UI and with the CLI's --preset: one per task. Each pairs the
// task's correctness criterion (weight 1) with partial credit for the <answer> format (0.2), which gives a
// signal before any answer is right. The bundled model, tiny-arith, was trained on arithmetic only: the other
// presets name it too, so they run everywhere, but on them it learns only the format (its format score
// saturates within a step or two and correctness stays 0; a later issue trains models for these tasks).
// Sizes are chosen so prompt + completion fit its 256 positions (presets.test.ts checks).

import { defaultRunConfig, mergeWithDefaults, type RunConfig, type RunConfigInput } from './config/schema.ts';
import type { CriterionKindName } from './rubric/criteria.ts';

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

/** The own-data preset's example: countries and capitals as CSV (one quoted field shows the quoting). */
const CAPITALS_CSV = `prompt,answer
France,Paris
Spain,Madrid
Italy,Rome
Germany,Berlin
Portugal,Lisbon
Austria,Vienna
Poland,Warsaw
Greece,Athens
Norway,Oslo
Sweden,Stockholm
Finland,Helsinki
Denmark,Copenhagen
Ireland,Dublin
Belgium,Brussels
Hungary,Budapest
Egypt,Cairo
Kenya,Nairobi
Peru,Lima
Chile,Santiago
Cuba,Havana
Japan,Tokyo
China,Beijing
India,New Delhi
Iran,Tehran
Iraq,Baghdad
Nepal,Kathmandu
Canada,Ottawa
Mexico,Mexico City
Russia,Moscow
"Korea, South",Seoul
`;

const PRESET_INPUTS: Record<string, { description: string; config: RunConfigInput }> = {
  reverse: {
    description: 'Reverse 3-5 letter strings. tiny-arith (arithmetic only, never saw letters) learns just the format here.',
    config: {
      version: 1,
      task: { name: 'reverse', params: { minLength: 3, maxLength: 5 } },
      rubric: { criteria: withFormat('correct_answer', 'correct_answer') },
      sampling: { maxNewTokens: 24 },
      eval: { maxNewTokens: 24 },
    },
  },
  sort: {
    description: 'Sort 3-4 digits ("7, 3, 9" -> "3, 7, 9"). tiny-arith (arithmetic only) learns just the format here.',
    config: {
      version: 1,
      task: { name: 'sort', params: { minItems: 3, maxItems: 4, maxValue: 9 } },
      rubric: { criteria: withFormat('list_match', 'list_match') },
      sampling: { maxNewTokens: 32 },
      eval: { maxNewTokens: 32 },
    },
  },
  length: {
    description: 'Answer in exactly 2-5 words. tiny-arith (arithmetic only, never saw words) learns just the format here.',
    config: {
      version: 1,
      task: { name: 'length', params: { minWords: 2, maxWords: 5 } },
      rubric: { criteria: withFormat('exact_word_count', 'exact_word_count') },
      grpo: { promptsPerStep: 8 },
      sampling: { maxNewTokens: 48 },
      eval: { maxNewTokens: 48 },
    },
  },
  countdown: {
    description: 'Reach a target (5-50) with 3 numbers from 1-10 and + - * /. tiny-arith (arithmetic only) learns just the format.',
    config: {
      version: 1,
      task: { name: 'countdown', params: { count: 3, maxNumber: 10, minTarget: 5, maxTarget: 50 } },
      rubric: { criteria: withFormat('countdown', 'countdown') },
      sampling: { maxNewTokens: 32 },
      eval: { maxNewTokens: 32 },
    },
  },
  'own-data': {
    description: 'Your own JSONL/CSV in task.params.data; this example: 30 capitals, which tiny-arith (arithmetic only) does not know.',
    config: {
      version: 1,
      task: {
        name: 'own-data',
        params: { data: CAPITALS_CSV, systemPrompt: 'Name the capital of the country. Reply with only the city, inside <answer></answer> tags.' },
        evalSize: 6,
      },
      rubric: { criteria: withFormat('correct_answer', 'correct_answer') },
      sampling: { maxNewTokens: 32 },
      eval: { maxNewTokens: 32 },
    },
  },
};

/** One line per preset for people (what it does, and what to expect from the bundled model). */
export const PRESET_DESCRIPTIONS: Readonly<Record<string, string>> = deepFreeze({
  arithmetic: 'The defaults: "a+b" with single-digit operands on the bundled tiny-arith model.',
  ...Object.fromEntries(Object.entries(PRESET_INPUTS).map(([name, p]) => [name, p.description])),
});

/** Frozen: use getPreset for a copy to edit. */
export const PRESETS: Readonly<Record<string, RunConfig>> = deepFreeze({
  /** The defaults: "a+b" with single-digit operands on the bundled tiny model. */
  arithmetic: defaultRunConfig(),
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
