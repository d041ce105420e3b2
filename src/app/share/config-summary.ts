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

/** A changed value as one line per leaf: an added criterion shows its name, kind, weight and each param (its code). */
function leafLines(path: string, v: unknown): string[] {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) {
    return Object.entries(v).flatMap(([k, x]) => leafLines(`${path}.${k}`, x));
  }
  return [`${path} = ${shortValue(v)}`];
}

/** e.g. ["grpo.learningRate = 0.005", "rubric.criteria[xml_format].weight = 0"]; empty for the default config. */
export function nonDefaultSettings(config: RunConfig): string[] {
  return diffRunConfigs(getPreset(DEFAULT_PRESET), config)
    .filter((d) => d.path !== 'version')
    .flatMap((d) => leafLines(d.path, d.b));
}
