// Pure edits of the rubric's criteria list (add with a kind's starting params, remove, reorder) and the
// look-ups the criterion editor needs (a kind's params, the value a param shows). The run-config schema
// still validates every result before it is committed.
import { CRITERIA, CRITERION_KINDS, type CriterionKindName } from '../../rl/rubric/criteria.ts';
import type { CriterionParams, ParamSpec } from '../../rl/rubric/types.ts';
import type { RunConfig } from '../../rl/config/schema.ts';

export type CriterionConfig = RunConfig['rubric']['criteria'][number];

/**
 * Params a new criterion starts with where the kind's defaults alone are not valid or not useful
 * (a regex needs a pattern). Everything else starts empty: the kind's defaults apply.
 */
export const STARTER_PARAMS: Partial<Record<CriterionKindName, CriterionParams>> = {
  regex: { pattern: '<answer>.+</answer>' },
};

/** `base`, or `base_2`, `base_3`, ... whichever is not taken. */
export function uniqueName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let k = 2; ; k++) if (!taken.includes(`${base}_${k}`)) return `${base}_${k}`;
}

export function addCriterion(criteria: readonly CriterionConfig[], kind: CriterionKindName): CriterionConfig[] {
  const name = uniqueName(kind, criteria.map((c) => c.name));
  return [...criteria, { name, kind, weight: 1, params: { ...(STARTER_PARAMS[kind] ?? {}) } }];
}

export function removeCriterion(criteria: readonly CriterionConfig[], index: number): CriterionConfig[] {
  return criteria.filter((_, i) => i !== index);
}

/** Move criterion `index` by `delta` places (clamped to the list). */
export function moveCriterion(criteria: readonly CriterionConfig[], index: number, delta: number): CriterionConfig[] {
  const to = Math.max(0, Math.min(criteria.length - 1, index + delta));
  const out = [...criteria];
  const [moved] = out.splice(index, 1);
  out.splice(to, 0, moved);
  return out;
}

/** The kind's declared params, in declaration order ([] for an unknown kind). */
export function kindParams(kind: string): [string, ParamSpec][] {
  return Object.hasOwn(CRITERIA, kind) ? Object.entries(CRITERIA[kind as CriterionKindName].params) : [];
}

export function kindDescription(kind: string): string {
  return Object.hasOwn(CRITERIA, kind) ? CRITERIA[kind as CriterionKindName].description : '';
}

/** The value a param shows: the config's, else the kind's default. */
export function paramValue(params: CriterionParams, key: string, spec: ParamSpec): number | string | boolean {
  return Object.hasOwn(params, key) ? params[key] : spec.default;
}

/** Bounds of a numeric param, for the field's hint ("≥ 1, ≤ 1000"). */
export function paramRange(spec: ParamSpec): string {
  return [spec.min === undefined ? '' : `≥ ${spec.min}`, spec.max === undefined ? '' : `≤ ${spec.max}`].filter(Boolean).join(', ');
}

/** Params tucked under "Limits and retries" (rarely changed), per kind. */
export const ADVANCED_PARAMS: Readonly<Record<string, readonly string[]>> = {
  llm_judge: ['maxTokens', 'timeoutMs', 'retries', 'retryDelayMs', 'concurrency'],
  custom_code: ['timeLimitMs', 'memoryLimitMb'],
};

export function isAdvancedParam(kind: string, key: string): boolean {
  return Object.hasOwn(ADVANCED_PARAMS, kind) && ADVANCED_PARAMS[kind].includes(key);
}

/** String params edited in a multi-line box rather than one line. */
export function isLongText(key: string, spec: ParamSpec): boolean {
  return spec.type === 'string' && (spec.maxLength ?? 0) > 1000 && key !== 'pattern';
}

export { CRITERION_KINDS };
