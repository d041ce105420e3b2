// Metric names, following TRL's GRPOTrainer so logs read the same (DESIGN.md "Metrics"): the one table the
// trainer, evaluation, the reward-hacking monitor and the charts take their names from. A step's metrics are
// one flat record of numbers, written as one JSON line by the CLI.

export type Metrics = Record<string, number>;

export const METRIC = {
  /** Mean total reward of the step's completions. */
  reward: 'reward',
  /** Mean over groups of the within-group reward std. */
  rewardStd: 'reward_std',
  /** Fraction of groups whose rewards are all equal (zero advantage, no signal). */
  fracRewardZeroStd: 'frac_reward_zero_std',
  /** Masked mean k3 KL to the reference model. */
  kl: 'kl',
  /** Masked mean per-token entropy of the policy. */
  entropy: 'entropy',
  loss: 'loss',
  /** Masked-mean fraction of tokens where the clamp held the update (low or high). */
  clipRegionMean: 'clip_ratio/region_mean',
  clipLowMean: 'clip_ratio/low_mean',
  clipHighMean: 'clip_ratio/high_mean',
  /** Mean, shortest and longest completion length in tokens. */
  completionsMeanLength: 'completions/mean_length',
  completionsMinLength: 'completions/min_length',
  completionsMaxLength: 'completions/max_length',
  /** Fraction of completions cut by maxNewTokens before an end token or stop string. */
  completionsClippedRatio: 'completions/clipped_ratio',
  /** Gradient L2 norm before clipping. */
  gradNorm: 'grad_norm',
  /** Tokens processed so far (prompt + completion), cumulative as in TRL. */
  numTokens: 'num_tokens',
  /** Wall-clock seconds of the step. */
  stepTime: 'step_time',
  tokensPerS: 'tokens_per_s',
  learningRate: 'learning_rate',
  /** Device memory held by the backend (WebGPU only). */
  gpuBytesInUse: 'gpu/bytes_in_use',
  /** Multi-turn tasks: tool calls per rollout (every <tool> opened counts, malformed ones too). */
  toolsCallFrequency: 'tools/call_frequency',
  /** Multi-turn tasks: failed tool calls / tool calls (0 when there were none). */
  toolsFailureFrequency: 'tools/failure_frequency',
  /** Multi-turn tasks: mean assistant turns per rollout. */
  numTurnsMean: 'num_turns/mean',
  /** Mean total reward on the held-out set (greedy decoding). */
  evalReward: 'eval/reward',
  /** Mean of the task's correctness criterion on the held-out set (greedy decoding). */
  evalAccuracy: 'eval/accuracy',
  /** Held-out completions the correctness criterion failed on (threw or non-finite; they count as wrong). Logged when > 0. */
  evalAccuracyErrors: 'eval/accuracy_errors',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** rewards/<criterion>/mean: mean raw (unweighted) score of one rubric criterion. */
export function rewardMeanMetric(criterion: string): string {
  return `rewards/${criterion}/mean`;
}

/** The criterion of a rewards/<criterion>/mean name; undefined for any other metric. */
export function criterionOfRewardMean(metric: string): string | undefined {
  return /^rewards\/(.+)\/mean$/.exec(metric)?.[1];
}

/** rewards/<criterion>/std: std of one criterion's raw scores over the step's completions. */
export function rewardStdMetric(criterion: string): string {
  return `rewards/${criterion}/std`;
}

/** rewards/<criterion>/errors: how many completions the criterion failed on (threw or non-finite). */
export function rewardErrorsMetric(criterion: string): string {
  return `rewards/${criterion}/errors`;
}

/** eval/rewards/<criterion>/mean: mean raw score of one criterion on the held-out set. */
export function evalRewardMeanMetric(criterion: string): string {
  return `eval/rewards/${criterion}/mean`;
}

/** eval/rewards/<criterion>/errors: held-out completions the criterion failed on (only logged when > 0). */
export function evalRewardErrorsMetric(criterion: string): string {
  return `eval/rewards/${criterion}/errors`;
}

/** hacking/<kind>: the value of one reward-hacking indicator (hacking.ts). */
export function hackingMetric(kind: string): string {
  return `hacking/${kind}`;
}

/** Wall-clock metrics: excluded when checking that two runs are identical. */
export const TIMING_METRICS: readonly string[] = [METRIC.stepTime, METRIC.tokensPerS];
