// How the compare view shows a config diff (src/rl/config/diff.ts computes it): numbers exactly, long text
// shortened, a whole criterion as its kind and weight, an absent value as "—".
const MAX_SHOWN_CHARS = 60;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A config value as the diff table shows it: numbers exactly, long text shortened, absent as "—". */
export function formatConfigValue(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'number') {
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e7) ? v.toExponential() : String(v);
  }
  if (typeof v === 'string') {
    const quoted = JSON.stringify(v);
    return quoted.length > MAX_SHOWN_CHARS ? `${quoted.slice(0, MAX_SHOWN_CHARS - 1)}…" (${v.length} characters)` : quoted;
  }
  if (isPlainObject(v) && typeof v.kind === 'string' && typeof v.weight === 'number') {
    return `${v.kind}, weight ${formatConfigValue(v.weight)}`; // a whole criterion
  }
  const json = JSON.stringify(v) ?? String(v);
  return json.length > MAX_SHOWN_CHARS ? `${json.slice(0, MAX_SHOWN_CHARS - 1)}…` : json;
}
