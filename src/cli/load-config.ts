// Resolve the run config of a CLI invocation from exactly one of --preset / --config / --url (default:
// the default preset), then apply --steps / --seed. Every failure is a CliError with one clear line.
import { readFile } from 'node:fs/promises';
import { parseRunConfig, type RunConfig } from '../rl/config/schema.ts';
import { decodeShareUrl } from '../rl/config/share.ts';
import { DEFAULT_PRESET, getPreset } from '../rl/presets.ts';

export class CliError extends Error {
  override name = 'CliError';
}

export interface ConfigFlags {
  preset?: string;
  config?: string;
  url?: string;
  steps?: string;
  seed?: string;
}

export async function loadRunConfig(flags: ConfigFlags): Promise<RunConfig> {
  const sources = [flags.preset, flags.config, flags.url].filter((x) => x !== undefined);
  if (sources.length > 1) throw new CliError('give at most one of --preset, --config and --url');
  let config: RunConfig;
  try {
    if (flags.config !== undefined) {
      let text: string;
      try {
        text = await readFile(flags.config, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read --config ${flags.config}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new CliError(`--config ${flags.config} is not valid JSON: ${(e as Error).message}`);
      }
      config = parseRunConfig(json);
    } else if (flags.url !== undefined) {
      config = decodeShareUrl(flags.url);
    } else {
      config = getPreset(flags.preset ?? DEFAULT_PRESET);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message);
  }
  const overrides: Partial<RunConfig> = {};
  if (flags.steps !== undefined) overrides.steps = parseCount('--steps', flags.steps, 0);
  if (flags.seed !== undefined) overrides.seed = parseCount('--seed', flags.seed, 0);
  try {
    return parseRunConfig({ ...config, ...overrides });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

export function parseCount(flag: string, value: string, min: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new CliError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return Number(value);
}
