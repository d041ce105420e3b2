// json_valid: graded JSON score. 0 when the text does not parse; else (1 + keys present) / (1 + keys required),
// so valid JSON is worth as much as each required key and everything present scores 1. Keys are paths into
// nested objects ("user.name"). A ```json fence around the JSON is allowed.

import { FIELD_PARAM, selectText, validateField } from '../text.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

const KEY_PATH = /^[^.\s]+(\.[^.\s]+)*$/;

/** The JSON inside a Markdown code fence (```json ... ``` or ``` ... ```), or the text itself. */
export function stripFence(text: string): string {
  const s = text.trim();
  if (!s.startsWith('```') || !s.endsWith('```') || s.length < 6) return s;
  const firstLine = s.indexOf('\n');
  if (firstLine === -1) return s.slice(3, -3).trim();
  const info = s.slice(3, firstLine).trim();
  if (info !== '' && info.toLowerCase() !== 'json') return s;
  return s.slice(firstLine + 1, -3).trim();
}

/** Whether `path` ("a.b.c") leads to a value through own properties of plain objects. */
export function hasPath(value: unknown, path: string): boolean {
  let node = value;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}

function parseKeys(spec: string): string[] {
  return spec.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
}

export const jsonValid: CriterionKind = {
  kind: 'json_valid',
  description: '0 if not valid JSON, else (1 + required keys present) / (1 + required keys): 1 when all are there.',
  params: {
    field: FIELD_PARAM,
    requiredKeys: { type: 'string', default: '', maxLength: 2000, description: 'Comma-separated keys or dotted paths, e.g. "name, address.city".' },
    allowFence: { type: 'boolean', default: true, description: 'Accept the JSON inside a ```json Markdown fence.' },
  },
  validate(params) {
    validateField(params.field);
    for (const k of parseKeys(String(params.requiredKeys))) {
      if (!KEY_PATH.test(k)) throw new Error(`invalid key path '${k}' in requiredKeys`);
    }
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const keys = parseKeys(String(params.requiredKeys));
    const allowFence = params.allowFence === true;
    return (ctx) => {
      const text = selectText(ctx, field);
      if (text === undefined) return 0;
      let value: unknown;
      try {
        value = JSON.parse(allowFence ? stripFence(text) : text);
      } catch {
        return 0; // includes RangeError from absurd nesting: not JSON we accept
      }
      const present = keys.filter((k) => hasPath(value, k)).length;
      return (1 + present) / (1 + keys.length);
    };
  },
};
