// What the run-config schema says about one field, read from the zod schema itself so the panels never
// restate it: its help text (.describe()), default, bounds and choices. Used to label inputs, set their
// min/max hints and offer "reset to default".
import type { z } from 'zod';
import { defaultRunConfig, RunConfigSchema } from '../../rl/config/schema.ts';
import { valueAt, type ConfigPath } from './config-edit.ts';

export interface FieldInfo {
  type: 'number' | 'enum' | 'boolean' | 'string' | 'array';
  description: string;
  default: unknown;
  integer?: boolean;
  min?: number;
  minInclusive?: boolean;
  max?: number;
  maxInclusive?: boolean;
  options?: readonly string[];
}

type AnySchema = z.ZodType & { description?: string; def: { type: string; checks?: { _zod: { def: CheckDef } }[] } };
interface CheckDef {
  check: string;
  value?: number;
  inclusive?: boolean;
  format?: string;
}

/** Descend through wrappers (default, prefault, optional) to the schema that holds the field's type. */
function unwrap(schema: AnySchema): { inner: AnySchema; description: string } {
  let node = schema;
  let description = node.description ?? '';
  while (['default', 'prefault', 'optional', 'nullable'].includes(node.def.type)) {
    node = (node as unknown as { unwrap(): AnySchema }).unwrap();
    description ||= node.description ?? '';
  }
  return { inner: node, description };
}

function childSchema(schema: AnySchema, key: string | number): AnySchema {
  const { inner } = unwrap(schema);
  if (inner.def.type === 'object') {
    const shape = (inner as unknown as { shape: Record<string, AnySchema> }).shape;
    if (!Object.hasOwn(shape, key)) throw new Error(`no field '${key}' in the run config schema`);
    return shape[key];
  }
  if (inner.def.type === 'array') return (inner as unknown as { element: AnySchema }).element;
  throw new Error(`cannot descend into a ${inner.def.type} at '${key}'`);
}

/** Schema facts of the field at `path` (e.g. ['grpo', 'learningRate']); throws for a path the schema lacks. */
export function fieldInfo(path: ConfigPath): FieldInfo {
  let schema = RunConfigSchema as unknown as AnySchema;
  for (const key of path) schema = childSchema(schema, key);
  const { inner, description } = unwrap(schema);
  const info: FieldInfo = { type: 'string', description, default: valueAt(defaultRunConfig(), path) };
  switch (inner.def.type) {
    case 'number':
    case 'int': {
      info.type = 'number';
      for (const c of inner.def.checks ?? []) {
        const d = c._zod.def;
        if (d.check === 'number_format' && d.format && /int/.test(d.format)) info.integer = true;
        if (d.check === 'greater_than') [info.min, info.minInclusive] = [d.value, d.inclusive];
        if (d.check === 'less_than') [info.max, info.maxInclusive] = [d.value, d.inclusive];
      }
      const bounds = inner as unknown as { isInt?: boolean };
      if (bounds.isInt) info.integer = true;
      break;
    }
    case 'enum':
      info.type = 'enum';
      info.options = (inner as unknown as { options: string[] }).options;
      break;
    case 'boolean':
      info.type = 'boolean';
      break;
    case 'array':
      info.type = 'array';
      break;
  }
  return info;
}

/** "from 0 to 1", "> 0", ">= 2" ... for a number field's hint; '' when unbounded. */
export function rangeText(info: FieldInfo): string {
  const lo = info.min === undefined ? '' : `${info.minInclusive ? '≥' : '>'} ${info.min}`;
  const hi = info.max === undefined ? '' : `${info.maxInclusive ? '≤' : '<'} ${info.max}`;
  return [lo, hi].filter(Boolean).join(', ');
}
