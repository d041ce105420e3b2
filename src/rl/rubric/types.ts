// Rubric vocabulary: a criterion turns one completion into a number; a rubric is a weighted sum of them.

/** Criterion names: 1-64 of letters, digits, _ . - (they appear in metric names such as rewards/<name>/mean). */
export const CRITERION_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export type CriterionParams = Record<string, number | string | boolean>;

/** One rubric entry as written in the run config (rubric.criteria[i]). */
export interface CriterionSpec {
  /** Unique within the rubric; names the metric rewards/<name>/mean. */
  name: string;
  /** Which implementation (a key of the criteria registry). */
  kind: string;
  /** Contribution to the reward; 0 logs the criterion without rewarding it; negative values penalise. */
  weight: number;
  params: CriterionParams;
}

/** Everything a criterion may look at for one completion. */
export interface ScoreContext {
  prompt: string;
  completion: string;
  /** The task row's reference answer. */
  answer: string;
  info?: Record<string, unknown>;
}

/** A ready criterion: returns a finite score (most kinds use [0, 1]); may throw. */
export type CriterionFn = (ctx: ScoreContext) => number;

/** Declared parameter of a criterion kind, with its default. */
export interface ParamSpec {
  type: 'number' | 'string' | 'boolean';
  default: number | string | boolean;
  description: string;
}

/** A criterion kind in the registry: its documentation, its parameters, and a factory. */
export interface CriterionKind {
  kind: string;
  description: string;
  params: Record<string, ParamSpec>;
  /** Build the scoring function; params are already checked against `params` and defaults filled in. */
  create(params: CriterionParams): CriterionFn;
}

export interface RubricScore {
  /** sum over criteria of weight * score */
  total: number;
  /** Per criterion name: its raw (unweighted) score; 0 where it failed. */
  scores: Record<string, number>;
  /** Per criterion name: 1 if it threw or returned a non-finite number, else 0. */
  errors: Record<string, number>;
  /** Per failed criterion name: the error message (for display). */
  errorMessages: Record<string, string>;
}

export interface RubricBatchScore {
  total: number[];
  scores: Record<string, number[]>;
  /** Per criterion name: how many of the completions it failed on. */
  errors: Record<string, number>;
  /** Per failed criterion name: the first error message. */
  errorMessages: Record<string, string>;
}

export class RubricError extends Error {
  override name = 'RubricError';
}
