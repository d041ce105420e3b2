// Dynamic sampling (DAPO, arXiv:2503.14476 sec. 3.2): a group whose G rewards are all equal has every
// advantage 0, so it adds nothing to the gradient but still dilutes the batch. DAPO drops such groups and keeps
// sampling prompts until the batch is full again. Dimension letters: P groups (prompts), G completions per group.
//
// Modes:
// - 'off':      train on every sampled group (plain GRPO).
// - 'skip':     drop the zero-std groups of the one sampling round; the batch may end up smaller than P.
// - 'resample': after the first round, draw more prompts in extra rounds until P groups with std > 0 are kept
//               or `maxExtraRounds` is spent (then train on what was kept and report it unfilled; verl's DAPO
//               recipe errors out instead, which a playground should not). Surplus groups beyond P are dropped,
//               keeping the first P in sampling order, as verl does.
//
// DAPO filters on accuracy (all G right or all wrong); here the filter is on the total reward, which is the
// same when the rubric is only correctness and is what the advantages are computed from otherwise.
//
// `planNextRound` is the pure decision; `sampleGroupsDynamically` runs the loop around an async callback that
// samples and scores n groups (the trainer's rollout + rubric), so it can be tested with plain data.

import { zeroStdGroups } from './grpo/advantages.ts';
import type { Metrics } from './metrics.ts';

/** The mode names, as a tuple (usable in z.enum). */
export const DYNAMIC_SAMPLING_MODES = ['off', 'skip', 'resample'] as const;

export type DynamicSampling = (typeof DYNAMIC_SAMPLING_MODES)[number];

export interface DynamicSamplingOptions {
  mode: DynamicSampling;
  /** P: groups the step should train on (the config's promptsPerStep); also the size of the first round. */
  targetGroups: number;
  /** 'resample': the most extra rounds after the first (verl's max_num_gen_batches counts the first too). */
  maxExtraRounds: number;
  /**
   * 'resample': the most groups one extra round may draw. Default targetGroups, so no round decodes more rows
   * than the first one (the run's memory plan is sized for P x G decode rows).
   */
  maxGroupsPerRound?: number;
}

/** What has been sampled so far in this step. */
export interface SamplingProgress {
  /** Groups sampled over all rounds so far. */
  sampledGroups: number;
  /** Of those, groups with std > 0 (before any truncation to targetGroups). */
  keptGroups: number;
  /** Extra rounds made so far (0 right after the first round). */
  extraRounds: number;
}

export type RoundPlan =
  | { draw: number; stop?: undefined }
  | { draw: 0; stop: 'filled' | 'not_resampling' | 'rounds_exhausted' };

/**
 * How many groups the next round should draw, or why to stop. The draw estimates the keep rate from what was
 * sampled so far: ceil(missing / (kept / sampled)), at least the missing count, at most maxGroupsPerRound;
 * with nothing kept yet it draws the maximum.
 */
export function planNextRound(opts: DynamicSamplingOptions, progress: SamplingProgress): RoundPlan {
  checkOptions(opts);
  const missing = opts.targetGroups - progress.keptGroups;
  if (missing <= 0) return { draw: 0, stop: 'filled' };
  if (opts.mode !== 'resample') return { draw: 0, stop: 'not_resampling' };
  if (progress.extraRounds >= opts.maxExtraRounds) return { draw: 0, stop: 'rounds_exhausted' };
  const cap = opts.maxGroupsPerRound ?? opts.targetGroups;
  if (progress.keptGroups === 0 || progress.sampledGroups === 0) return { draw: cap };
  const estimate = Math.ceil((missing * progress.sampledGroups) / progress.keptGroups);
  return { draw: Math.min(cap, Math.max(missing, estimate)) };
}

/** n groups' items and rewards, both [n*G] and contiguous per group (group k is items k*G .. k*G+G-1). */
export interface SampledGroups<T> {
  items: T[];
  rewards: ArrayLike<number>;
}

/** Sample and score n new groups; `round` is 0 for the first round, 1.. for extra rounds. */
export type SampleGroups<T> = (n: number, round: number) => Promise<SampledGroups<T>>;

export interface DynamicSamplingStats {
  /** Sampling rounds made, first included (>= 1). */
  rounds: number;
  sampledGroups: number;
  /** Groups in the result (<= targetGroups). */
  keptGroups: number;
  /** Zero-std groups among all sampled groups. */
  zeroStdGroups: number;
  /** Fraction of zero-std groups in the first round: TRL's frac_reward_zero_std, comparable across modes. */
  firstRoundZeroStdFraction: number;
  /** Groups with std > 0 that were drawn but not needed (beyond targetGroups). */
  surplusGroups: number;
  /** Whether the result has targetGroups groups. */
  filled: boolean;
}

export interface DynamicSamplingResult<T> {
  /**
   * The first round as sampled (targetGroups groups, nothing dropped): an unbiased sample of the policy, for
   * the step's reward and completion metrics (the kept groups over-represent prompts of middling difficulty).
   */
  firstRound: SampledGroups<T>;
  /** Kept items [K*G], contiguous per group, in sampling order; K = stats.keptGroups. */
  items: T[];
  rewards: number[];
  /** Per kept group: whether its rewards are all equal (only possible in mode 'off'). */
  zeroStd: boolean[];
  stats: DynamicSamplingStats;
}

/** Run the first round and, in 'resample' mode, extra rounds as planned by planNextRound. */
export async function sampleGroupsDynamically<T>(
  G: number,
  opts: DynamicSamplingOptions,
  sampleGroups: SampleGroups<T>,
): Promise<DynamicSamplingResult<T>> {
  checkOptions(opts);
  const items: T[] = [];
  const rewards: number[] = [];
  const zeroStd: boolean[] = [];
  let sampled = 0;
  let kept = 0;
  let flatTotal = 0;
  let firstRoundZeroStdFraction = 0;
  let rounds = 0;
  let draw = opts.targetGroups;
  let firstRound: SampledGroups<T> | null = null;
  for (;;) {
    const batch = await sampleGroups(draw, rounds);
    if (batch.items.length !== draw * G || batch.rewards.length !== draw * G) {
      throw new Error(
        `sampleGroups(${draw}) returned ${batch.items.length} items and ${batch.rewards.length} rewards; expected n*G = ${draw * G} of each`,
      );
    }
    const flat = zeroStdGroups(batch.rewards, G);
    const flatCount = flat.filter(Boolean).length;
    if (rounds === 0) {
      firstRound = batch;
      firstRoundZeroStdFraction = flatCount / draw;
    }
    flatTotal += flatCount;
    sampled += draw;
    flat.forEach((isFlat, k) => {
      if (isFlat && opts.mode !== 'off') return;
      kept++;
      zeroStd.push(isFlat);
      for (let g = 0; g < G; g++) {
        items.push(batch.items[k * G + g]);
        rewards.push(batch.rewards[k * G + g]);
      }
    });
    rounds++;
    const plan = planNextRound(opts, { sampledGroups: sampled, keptGroups: kept, extraRounds: rounds - 1 });
    if (plan.stop !== undefined) break;
    draw = plan.draw;
  }
  const K = Math.min(kept, opts.targetGroups);
  return {
    firstRound: firstRound!,
    items: items.slice(0, K * G),
    rewards: rewards.slice(0, K * G),
    zeroStd: zeroStd.slice(0, K),
    stats: {
      rounds,
      sampledGroups: sampled,
      keptGroups: K,
      zeroStdGroups: flatTotal,
      firstRoundZeroStdFraction,
      surplusGroups: kept - K,
      filled: K === opts.targetGroups,
    },
  };
}

/** The step metrics for a dynamic-sampling result (logged beside TRL's frac_reward_zero_std). */
export function dynamicSamplingMetrics(stats: DynamicSamplingStats): Metrics {
  return {
    'dynamic_sampling/rounds': stats.rounds,
    'dynamic_sampling/groups_sampled': stats.sampledGroups,
    'dynamic_sampling/groups_kept': stats.keptGroups,
    'dynamic_sampling/filled': stats.filled ? 1 : 0,
  };
}

function checkOptions(opts: DynamicSamplingOptions): void {
  if (!DYNAMIC_SAMPLING_MODES.includes(opts.mode)) {
    throw new RangeError(`unknown dynamic sampling mode '${String(opts.mode)}' (known: ${DYNAMIC_SAMPLING_MODES.join(', ')})`);
  }
  if (!Number.isInteger(opts.targetGroups) || opts.targetGroups < 1) {
    throw new RangeError(`targetGroups must be an integer >= 1, got ${opts.targetGroups}`);
  }
  if (!Number.isInteger(opts.maxExtraRounds) || opts.maxExtraRounds < 0) {
    throw new RangeError(`maxExtraRounds must be an integer >= 0, got ${opts.maxExtraRounds}`);
  }
  const cap = opts.maxGroupsPerRound;
  if (cap !== undefined && (!Number.isInteger(cap) || cap < 1)) {
    throw new RangeError(`maxGroupsPerRound must be an integer >= 1, got ${cap}`);
  }
}
