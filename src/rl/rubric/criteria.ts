// The criteria registry. Each kind declares its params (with defaults) and a factory. To add a kind, write it
// in its own file as a `CriterionKind` and add one line to CRITERIA below (and its name to CRITERION_KINDS).

import { contains } from './kinds/contains.ts';
import { correctAnswer } from './kinds/correct-answer.ts';
import { customCode } from './kinds/custom-code.ts';
import { jsonValid } from './kinds/json-valid.ts';
import { lengthTarget } from './kinds/length-target.ts';
import { llmJudge } from './kinds/llm-judge.ts';
import { numericMatch } from './kinds/numeric-match.ts';
import { overlongPenaltyKind } from './kinds/overlong-penalty.ts';
import { regex } from './kinds/regex.ts';
import { repetitionPenalty } from './kinds/repetition-penalty.ts';
import { similarity } from './kinds/similarity.ts';
import { xmlFormat } from './kinds/xml-format.ts';
import { countdown } from './kinds/countdown.ts';
import { exactWordCount } from './kinds/exact-word-count.ts';
import { listMatch } from './kinds/list-match.ts';
import { solved, solvedInTurns } from './kinds/game.ts';
import { toolUse } from './kinds/tool-use.ts';
import { RubricError, type Criterion, type CriterionEnv, type CriterionKind, type CriterionParams, type ParamSpec } from './types.ts';

export { normalizeAnswer } from './kinds/correct-answer.ts';

/** Criterion kinds accepted by the run config's rubric.criteria[i].kind. */
export const CRITERION_KINDS = [
  'correct_answer',
  'xml_format',
  'numeric_match',
  'contains',
  'regex',
  'length_target',
  'similarity',
  'json_valid',
  'repetition_penalty',
  'overlong_penalty',
  'custom_code',
  'llm_judge',
  'countdown',
  'exact_word_count',
  'list_match',
  'solved',
  'solved_in_turns',
  'tool_use',
] as const;
export type CriterionKindName = (typeof CRITERION_KINDS)[number];

/** The kinds a rubric is built from (a Rubric may be given another registry, e.g. in tests). */
export type CriterionRegistry = Readonly<Record<string, CriterionKind>>;

export const CRITERIA: Readonly<Record<CriterionKindName, CriterionKind>> = {
  correct_answer: correctAnswer,
  xml_format: xmlFormat,
  numeric_match: numericMatch,
  contains,
  regex,
  length_target: lengthTarget,
  similarity,
  json_valid: jsonValid,
  repetition_penalty: repetitionPenalty,
  overlong_penalty: overlongPenaltyKind,
  custom_code: customCode,
  llm_judge: llmJudge,
  countdown,
  exact_word_count: exactWordCount,
  list_match: listMatch,
  solved,
  solved_in_turns: solvedInTurns,
  tool_use: toolUse,
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
    const problem = paramProblem(spec, value);
    if (problem) throw new RubricError(`${kind}: param '${key}' ${problem}`);
  }
  for (const key of known) out[key] = Object.hasOwn(params, key) ? params[key] : def.params[key].default;
  try {
    def.validate?.(out);
  } catch (e) {
    throw new RubricError(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return out;
}

/** What is wrong with a value of the right type against its spec's choices and bounds, or undefined. */
function paramProblem(spec: ParamSpec, value: number | string | boolean): string | undefined {
  if (typeof value === 'string') {
    if (spec.choices && !spec.choices.includes(value)) return `must be one of ${spec.choices.map((c) => `'${c}'`).join(', ')}`;
    if (spec.maxLength !== undefined && value.length > spec.maxLength) return `must be at most ${spec.maxLength} characters`;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) return 'must be a finite number';
    if (spec.integer && !Number.isInteger(value)) return 'must be an integer';
    if (spec.min !== undefined && value < spec.min) return `must be >= ${spec.min}`;
    if (spec.max !== undefined && value > spec.max) return `must be <= ${spec.max}`;
  }
  return undefined;
}

/** Build a criterion (params checked, defaults filled); `env` lends host services (the judge's key). Throws RubricError. */
export function createCriterion(
  kind: string,
  params: CriterionParams,
  registry: CriterionRegistry = CRITERIA,
  env: CriterionEnv = {},
): Criterion {
  const resolved = resolveCriterionParams(kind, params, registry);
  try {
    return criterionKind(kind, registry).create(resolved, env);
  } catch (e) {
    if (e instanceof RubricError) throw e;
    throw new RubricError(`${kind}: ${e instanceof Error ? e.message : String(e)}`);
  }
}
