// Rubric vocabulary: a criterion turns one completion into a number; a rubric is a weighted sum of them.
// Scoring is asynchronous (custom code runs in a WebAssembly sandbox, the judge calls an HTTP endpoint);
// simple kinds stay plain synchronous functions.

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

/** One chat message as criteria see it (custom code receives the list as `messages`). */
export interface ScoreMessage {
  role: string;
  content: string;
}

/** Everything a criterion may look at for one completion. */
export interface ScoreContext {
  prompt: string;
  completion: string;
  /** The task row's reference answer. */
  answer: string;
  info?: Record<string, unknown>;
  /** The whole conversation (multi-turn rollouts); single-turn callers may leave it out. */
  messages?: readonly ScoreMessage[];
  /** Per-rollout environment state at the end of the rollout (multi-turn); JSON-like. */
  state?: Record<string, unknown>;
  /** Completion length in tokens (the trainer fills it; overlong_penalty and token lengths need it). */
  completionTokens?: number;
  /** The sampling limit the completion was generated under (sampling.maxNewTokens). */
  maxNewTokens?: number;
}

/** A ready criterion: returns a finite score (most kinds use [0, 1]); may throw or reject. */
export type CriterionFn = (ctx: ScoreContext) => number | Promise<number>;

/**
 * A built criterion: its scoring function, optionally with more entry points. `scoreBatch` scores many
 * completions at once (custom code sets up its sandbox once per batch); each entry is a score or the Error
 * it failed with. `prepare` does slow one-off checks (load the sandbox, compile user code) and throws
 * RubricError with a clear message. A plain CriterionFn is a Criterion.
 */
export type Criterion = CriterionFn & {
  scoreBatch?(ctxs: readonly ScoreContext[]): Promise<(number | Error)[]>;
  prepare?(): Promise<void>;
};

/** Supplies the judge's API key for a base URL; undefined sends no Authorization header. */
export type JudgeKeyProvider = (baseUrl: string) => string | undefined | Promise<string | undefined>;

/**
 * What the host lends criteria, injected through the Rubric constructor (nothing global). The page holds
 * the judge key in memory only and sends it with Train; the CLI reads GRPO_JUDGE_API_KEY; neither is ever in
 * a run config.
 */
export interface CriterionEnv {
  judgeKey?: JudgeKeyProvider;
  /** HTTP client for the judge; defaults to globalThis.fetch. */
  fetch?: typeof fetch;
}

/** Declared parameter of a criterion kind, with its default. */
export interface ParamSpec {
  type: 'number' | 'string' | 'boolean';
  default: number | string | boolean;
  description: string;
  /** Strings: the allowed values. */
  choices?: readonly string[];
  /** Numbers: inclusive bounds, and whether only integers are allowed. */
  min?: number;
  max?: number;
  integer?: boolean;
  /** Strings: the longest value allowed. */
  maxLength?: number;
}

/** A criterion kind in the registry: its documentation, its parameters, and a factory. */
export interface CriterionKind {
  kind: string;
  description: string;
  params: Record<string, ParamSpec>;
  /**
   * Cheap synchronous checks of resolved params beyond their types (a regex compiles, a URL is http(s));
   * throws with a message naming the param. Run by config validation and before `create`.
   */
  validate?(params: CriterionParams): void;
  /**
   * Build the criterion; params are already checked against `params` and defaults filled in. `env` (host
   * services such as the judge key) may be left out where a kind needs none.
   */
  create(params: CriterionParams, env?: CriterionEnv): Criterion;
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
