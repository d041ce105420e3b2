// The criteria registry. Each kind declares its params (with defaults) and a factory. To add a kind, write it
// in its own file as a `CriterionKind` and add one line to CRITERIA below (and its name to CRITERION_KINDS).

import { XMLParser } from '../parsers/xml.ts';
import { RubricError, type CriterionFn, type CriterionKind, type CriterionParams } from './types.ts';

/**
 * Normalise an answer for exact-match comparison: trim, collapse whitespace, lowercase, drop one trailing
 * period; a plain decimal number is rewritten canonically ("08" -> "8", "+3.50" -> "3.5", "-0" -> "0").
 */
export function normalizeAnswer(text: string): string {
  let s = text.trim().split(/\s+/).join(' ').toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1).trimEnd();
  if (s.length <= 40 && /^[+-]?\d+(\.\d+)?$/.test(s)) {
    const v = Number(s);
    if (Number.isFinite(v)) s = String(v === 0 ? 0 : v);
  }
  return s;
}

export const correctAnswer: CriterionKind = {
  kind: 'correct_answer',
  description: '1 if the parsed <answer> matches the reference answer after normalisation, else 0.',
  params: {
    field: { type: 'string', default: 'answer', description: 'XML field holding the answer.' },
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const parser = new XMLParser([field]);
    return ({ completion, answer }) => {
      const got = parser.parseField(completion, field);
      return got !== undefined && normalizeAnswer(got) === normalizeAnswer(answer) ? 1 : 0;
    };
  },
};

export const xmlFormat: CriterionKind = {
  kind: 'xml_format',
  description: 'Graded XML format score in [0, 1]: tags present, in order, nothing outside them.',
  params: {
    fields: { type: 'string', default: 'answer', description: 'Comma-separated fields in order, e.g. "think,answer".' },
  },
  create(params: CriterionParams): CriterionFn {
    const fields = String(params.fields).split(',').map((f) => f.trim()).filter((f) => f.length > 0);
    const parser = new XMLParser(fields);
    return ({ completion }) => parser.formatScore(completion);
  },
};

/** Criterion kinds accepted by the run config's rubric.criteria[i].kind. */
export const CRITERION_KINDS = ['correct_answer', 'xml_format'] as const;
export type CriterionKindName = (typeof CRITERION_KINDS)[number];

/** The kinds a rubric is built from (a Rubric may be given another registry, e.g. in tests). */
export type CriterionRegistry = Readonly<Record<string, CriterionKind>>;

export const CRITERIA: Readonly<Record<CriterionKindName, CriterionKind>> = {
  correct_answer: correctAnswer,
  xml_format: xmlFormat,
};

/** Look up a kind; throws RubricError listing the known kinds. */
export function criterionKind(kind: string, registry: CriterionRegistry = CRITERIA): CriterionKind {
  if (!Object.hasOwn(registry, kind)) {
    throw new RubricError(`unknown criterion kind '${kind}' (known: ${Object.keys(registry).join(', ')})`);
  }
  return registry[kind];
}

/** Check params against the kind's declaration and fill defaults; throws RubricError naming the problem. */
export function resolveCriterionParams(
  kind: string,
  params: CriterionParams,
  registry: CriterionRegistry = CRITERIA,
): CriterionParams {
  const def = criterionKind(kind, registry);
  const known = Object.keys(def.params);
  const out: CriterionParams = {};
  for (const [key, value] of Object.entries(params)) {
    const spec = Object.hasOwn(def.params, key) ? def.params[key] : undefined;
    if (!spec) {
      throw new RubricError(`${kind}: unknown param '${key}' (known: ${known.length ? known.join(', ') : 'none'})`);
    }
    if (typeof value !== spec.type) throw new RubricError(`${kind}: param '${key}' must be a ${spec.type}`);
  }
  for (const key of known) out[key] = Object.hasOwn(params, key) ? params[key] : def.params[key].default;
  return out;
}

/** Build a criterion's scoring function (params checked, defaults filled); throws RubricError. */
export function createCriterion(kind: string, params: CriterionParams, registry: CriterionRegistry = CRITERIA): CriterionFn {
  const resolved = resolveCriterionParams(kind, params, registry);
  try {
    return criterionKind(kind, registry).create(resolved);
  } catch (e) {
    if (e instanceof RubricError) throw e;
    throw new RubricError(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
