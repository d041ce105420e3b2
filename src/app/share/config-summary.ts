// "What's in this link": the settings that differ from the default preset (what the page opens with), one
// short line each (path = value).
import { diffRunConfigs } from '../../rl/config/diff.ts';
import type { RunConfig } from '../../rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../../rl/presets.ts';

const MAX_VALUE_CHARS = 60;

function shortValue(v: unknown): string {
  const text = v === undefined ? '(removed)' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

/** e.g. ["grpo.learningRate = 0.005", "rubric.criteria[xml_format].weight = 0"]; empty for the default config. */
export function nonDefaultSettings(config: RunConfig): string[] {
  return diffRunConfigs(getPreset(DEFAULT_PRESET), config)
    .filter((d) => d.path !== 'version')
    .map((d) => `${d.path} = ${shortValue(d.b)}`);
}
