// Pure helpers behind the config panels: a field edit is a path into the RunConfig plus a new value; the
// edited config is committed only when the run-config schema accepts it, otherwise the field shows why.
// Fields keep their own text drafts (an input may hold "0." or "" for a moment); these helpers turn
// that text into values and values into validated configs.
import { parseRunConfig, type RunConfig } from '../../rl/config/schema.ts';

/** A path into the config: object keys and array indices, e.g. ['rubric', 'criteria', 1, 'weight']. */
export type ConfigPath = readonly (string | number)[];

/** Special value for `withValue`: remove the key (the schema or the kind then uses its default). */
export const UNSET = Symbol('unset');

/** A copy of `config` with the value at `path` replaced (or removed with UNSET); the input is not changed. */
export function withValue(config: RunConfig, path: ConfigPath, value: unknown): RunConfig {
  const set = (node: unknown, depth: number): unknown => {
    const key = path[depth];
    const last = depth === path.length - 1;
    if (Array.isArray(node)) {
      const copy = [...node];
      copy[key as number] = last ? value : set(node[key as number], depth + 1);
      return copy;
    }
    const base = (typeof node === 'object' && node !== null ? node : {}) as Record<string, unknown>;
    const copy = { ...base };
    if (last) {
      if (value === UNSET) delete copy[key];
      else copy[key] = value;
    } else {
      copy[key] = set(base[key], depth + 1);
    }
    return copy;
  };
  return set(config, 0) as RunConfig;
}

/** The value at `path`, or undefined. */
export function valueAt(config: RunConfig, path: ConfigPath): unknown {
  let node: unknown = config;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

export type CommitResult = { ok: true; config: RunConfig } | { ok: false; error: string };

/**
 * Validate a candidate config with the run-config schema. The error is the schema's one message without its
 * leading field path ("grpo.learningRate: must be > 0" -> "must be > 0"), since it is shown next to the field.
 */
export function validateConfig(candidate: RunConfig): CommitResult {
  try {
    return { ok: true, config: parseRunConfig(candidate) };
  } catch (e) {
    return { ok: false, error: withoutFieldPath(e instanceof Error ? e.message : String(e)) };
  }
}

/** `config` with one field changed, if the schema accepts the result. */
export function commitEdit(config: RunConfig, path: ConfigPath, value: unknown): CommitResult {
  return validateConfig(withValue(config, path, value));
}

/** "rubric.criteria[1].params: regex: bad" -> "regex: bad"; messages without a path prefix stay as they are. */
export function withoutFieldPath(message: string): string {
  return message.replace(/^[A-Za-z_][\w.[\]]*: /, '');
}

export type ParsedInput<T> = { ok: true; value: T } | { ok: false; error: string };

/** Turn a number input's text into a number: empty and non-numbers are refused with a message. */
export function parseNumberText(text: string, integer = false): ParsedInput<number> {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'enter a number' };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { ok: false, error: `'${trimmed}' is not a number` };
  if (integer && !Number.isInteger(value)) return { ok: false, error: 'must be a whole number' };
  return { ok: true, value };
}

/** Stop strings are edited as one comma-separated line; "\n" stands for a newline. */
export function parseStopText(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim().replace(/\\n/g, '\n'))
    .filter((s) => s !== '');
}

export function formatStopText(stop: readonly string[]): string {
  return stop.map((s) => s.replace(/\n/g, '\\n')).join(', ');
}

/** Numbers shown in inputs: short, without float noise (0.1 + 0.2 shows as 0.3). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(12)));
}
