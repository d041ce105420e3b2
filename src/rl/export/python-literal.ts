// JSON values written as Python literals (None/True/False, dicts, lists; strings and numbers in JSON's
// notation, which Python reads the same), for the generated TRL script.

export function pyLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`pyLiteral: ${value} has no Python literal here`);
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${pyLiteral(v)}`).join(', ')}}`;
  }
  throw new Error(`pyLiteral: cannot write a ${typeof value}`);
}
