// The metrics of one training step (names from metrics.ts), from what the step measured. Reward, length and
// per-criterion metrics describe the shown rollouts (the first sampling round, an unbiased sample of the
// policy); loss, clip ratios and KL are the last optimisation pass's; entropy is the first pass's. Pure.
import { besselStd, zeroStdGroups } from './grpo/advantages.ts';
import type { GrpoLossOutput } from './grpo/loss.ts';
import { METRIC, rewardErrorsMetric, rewardMeanMetric, type Metrics } from './metrics.ts';
import type { RubricScore } from './rubric/types.ts';

export interface StepMeasurements {
  G: number;
  /** The shown rollouts' generated-token counts, truncation flags and total rewards. */
  lengths: number[];
  truncated: boolean[];
  rewards: number[];
  last: GrpoLossOutput;
  entropy: number;
  gradNorm: number;
  learningRate: number;
  /** Tokens so far (cumulative) and in this step, and the step's wall-clock seconds. */
  numTokens: number;
  stepTokens: number;
  stepTime: number;
  /** Whether a reference model gave the KL (kl is logged only then). */
  hasReference: boolean;
}

export function stepMetrics(m: StepMeasurements): Metrics {
  const flat = zeroStdGroups(m.rewards, m.G);
  const metrics: Metrics = {
    [METRIC.reward]: mean(m.rewards),
    [METRIC.rewardStd]: groupStdMean(m.rewards, m.G),
    [METRIC.fracRewardZeroStd]: flat.filter(Boolean).length / flat.length,
    [METRIC.loss]: m.last.loss,
    [METRIC.entropy]: m.entropy,
    [METRIC.clipLowMean]: m.last.clipLow,
    [METRIC.clipHighMean]: m.last.clipHigh,
    [METRIC.clipRegionMean]: m.last.clipRegion,
    [METRIC.completionsMeanLength]: mean(m.lengths),
    [METRIC.completionsMinLength]: Math.min(...m.lengths),
    [METRIC.completionsMaxLength]: Math.max(...m.lengths),
    [METRIC.completionsClippedRatio]: m.truncated.filter(Boolean).length / m.truncated.length,
    [METRIC.gradNorm]: m.gradNorm,
    [METRIC.learningRate]: m.learningRate,
    [METRIC.numTokens]: m.numTokens,
    [METRIC.stepTime]: m.stepTime,
    [METRIC.tokensPerS]: m.stepTokens / m.stepTime,
  };
  if (m.hasReference) metrics[METRIC.kl] = m.last.kl;
  return metrics;
}

/** rewards/<name>/mean of every criterion, and rewards/<name>/errors where some completion failed. */
export function criterionMetrics(scored: readonly RubricScore[], criteria: readonly { name: string }[]): Metrics {
  const metrics: Metrics = {};
  for (const c of criteria) {
    metrics[rewardMeanMetric(c.name)] = mean(scored.map((s) => s.scores[c.name]));
    const errors = scored.reduce((a, s) => a + (s.errors[c.name] ?? 0), 0);
    if (errors > 0) metrics[rewardErrorsMetric(c.name)] = errors;
  }
  return metrics;
}

function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : 0;
}

/** Mean over groups of each group's (Bessel-corrected) reward std, as TRL logs `reward_std`. */
function groupStdMean(rewards: number[], G: number): number {
  const groups = rewards.length / G;
  let total = 0;
  for (let gi = 0; gi < groups; gi++) total += besselStd(rewards, gi * G, gi * G + G);
  return total / groups;
}
