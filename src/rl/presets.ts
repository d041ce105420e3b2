// Built-in run configs, selectable by name in the UI and with the CLI's --preset.

import { defaultRunConfig, type RunConfig } from './config/schema.ts';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Frozen: use getPreset for a copy to edit. */
export const PRESETS: Readonly<Record<string, RunConfig>> = deepFreeze({
  /** The defaults: "a+b" with single-digit operands on the bundled tiny model. */
  arithmetic: defaultRunConfig(),
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
