// The config diff between two runs: every setting that differs, as a path and the two values
// ("grpo.learningRate: 0.0005 -> 0.001"), in the order of run A's keys. Rubric criteria (any array of objects
// with unique names) are matched by name, not by position, so reordering, inserting or removing a criterion
// shows as what it is instead of a cascade of changed fields; other arrays (sampling.stop) compare whole.
// The one diff of the code base: the compare view, "Try this" and the share summary all use it.
import type { RunConfig } from './schema.ts';

export interface ConfigChange {
  /** e.g. "grpo.learningRate", "rubric.criteria[xml_format].weight", "rubric.criteria (order)" */
  path: string;
  /** undefined where that run's config lacks the setting (an added or removed criterion, an unset param) */
  a: unknown;
  b: unknown;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep equality of JSON-like values; a key whose value is undefined counts as absent. */
export function deepEqual(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => deepEqual(v, y[i]));
  if (isPlainObject(x) && isPlainObject(y)) {
    const kx = Object.keys(x).filter((k) => x[k] !== undefined);
    const ky = Object.keys(y).filter((k) => y[k] !== undefined);
    return kx.length === ky.length && kx.every((k) => deepEqual(x[k], y[k]));
  }
  return false;
}

type Named = { name: string } & Record<string, unknown>;

/** Arrays of objects with unique string names (rubric criteria) are compared by name. */
function namedItems(v: unknown): Named[] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  if (!v.every((x) => isPlainObject(x) && typeof x.name === 'string')) return null;
  const names = new Set(v.map((x) => (x as Named).name));
  return names.size === v.length ? (v as Named[]) : null;
}

function diffNamed(a: Named[], b: Named[], path: string, out: ConfigChange[]): void {
  const byName = new Map(b.map((x) => [x.name, x]));
  const aNames = new Set(a.map((x) => x.name));
  for (const item of a) {
    const other = byName.get(item.name);
    if (other) walk(item, other, `${path}[${item.name}]`, out);
    else out.push({ path: `${path}[${item.name}]`, a: item, b: undefined });
  }
  for (const item of b) if (!aNames.has(item.name)) out.push({ path: `${path}[${item.name}]`, a: undefined, b: item });
  const commonA = a.map((x) => x.name).filter((n) => byName.has(n));
  const commonB = b.map((x) => x.name).filter((n) => aNames.has(n));
  if (!deepEqual(commonA, commonB)) out.push({ path: `${path} (order)`, a: commonA.join(', '), b: commonB.join(', ') });
}

function walk(a: unknown, b: unknown, path: string, out: ConfigChange[]): void {
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
    for (const k of keys) walk(a[k], b[k], path ? `${path}.${k}` : k, out);
    return;
  }
  const namedA = namedItems(a);
  const namedB = namedItems(b);
  if (namedA && namedB) {
    diffNamed(namedA, namedB, path, out);
    return;
  }
  if (!deepEqual(a, b)) out.push({ path, a, b });
}

/** Every setting where run A's config and run B's differ, in the order of A's keys. */
export function diffRunConfigs(a: RunConfig, b: RunConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  walk(a, b, '', out);
  return out;
}
