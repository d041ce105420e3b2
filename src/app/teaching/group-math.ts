// The arithmetic teaching mode shows, as pure functions: a completion's weighted reward, and group
// normalisation (mean, Bessel std, advantage = (r - mean) / (std + eps)) with GRPO's three scalings.
// Written out step by step here (not by calling the trainer's groupAdvantages) so that the test comparing
// the two checks the explanation against the real thing. Dimension letters: G completions per group.
import type { StepRollouts } from '../../worker/protocol.ts';

export type Scaling = 'group' | 'batch' | 'none';
/** Added to the std before dividing (as in TRL and the trainer), so equal rewards give 0, not 0/0. */
export const STD_EPS = 1e-4;

export interface WeightedTerm {
  name: string;
  weight: number;
  score: number;
  /** weight * score */
  value: number;
}

/** reward = sum over criteria of weight * score (a missing score counts as 0, as a criterion that threw). */
export function weightedReward(scores: Record<string, number>, criteria: readonly { name: string; weight: number }[]): { terms: WeightedTerm[]; total: number } {
  const terms = criteria.map((c) => {
    const score = Object.hasOwn(scores, c.name) ? scores[c.name] : 0;
    return { name: c.name, weight: c.weight, score, value: c.weight * score };
  });
  return { terms, total: terms.reduce((sum, t) => sum + t.value, 0) };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Sample std with Bessel's correction (divide by n - 1); 0 for fewer than 2 values. */
export function sampleStd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
}

export interface GroupNormalisation {
  rewards: number[];
  mean: number;
  /** The group's own std (shown whatever the scaling). */
  std: number;
  /** What (r - mean) is divided by: std + eps ('group'), batch std + eps ('batch'), 1 ('none'). */
  divisor: number;
  advantages: number[];
  /** All rewards equal: every advantage is 0 and the group teaches nothing. */
  flat: boolean;
}

/** Group normalisation of each group's rewards [P][G]; 'batch' uses the std of all rewards of the step. */
export function normaliseGroups(groups: readonly (readonly number[])[], scaling: Scaling, eps = STD_EPS): GroupNormalisation[] {
  const batchStd = sampleStd(groups.flat());
  return groups.map((rewards) => {
    const m = mean(rewards);
    const std = sampleStd(rewards);
    const divisor = scaling === 'group' ? std + eps : scaling === 'batch' ? batchStd + eps : 1;
    const flat = Math.max(...rewards) - Math.min(...rewards) <= 1e-8;
    return { rewards: [...rewards], mean: m, std, divisor, advantages: rewards.map((r) => (r - m) / divisor), flat };
  });
}

/** The same for a step's rollouts (rewards as the worker scored them). */
export function normaliseStep(rollouts: StepRollouts, scaling: Scaling, eps = STD_EPS): GroupNormalisation[] {
  return normaliseGroups(
    rollouts.groups.map((g) => g.completions.map((c) => c.reward)),
    scaling,
    eps,
  );
}

/** The group to explain first: the first one with a learning signal (unequal rewards), else the first. */
export function instructiveGroup(norms: readonly GroupNormalisation[]): number {
  const i = norms.findIndex((n) => !n.flat);
  return i < 0 ? 0 : i;
}

export interface PushCounts {
  up: number;
  down: number;
  /** Tokens in the loss whose completion has advantage 0 (no push). */
  still: number;
  /** Tokens the loss ignores (prompt/environment text, masked completions). */
  ignored: number;
}

/** How many tokens the update pushes up (advantage > 0), down (< 0) or not at all, for one group. */
export function pushCounts(completions: readonly { advantage: number; tokens: readonly { trained: boolean }[] }[]): PushCounts {
  const out: PushCounts = { up: 0, down: 0, still: 0, ignored: 0 };
  for (const c of completions) {
    for (const t of c.tokens) {
      if (!t.trained) out.ignored++;
      else if (c.advantage > 0) out.up++;
      else if (c.advantage < 0) out.down++;
      else out.still++;
    }
  }
  return out;
}

/** A number for the explanations: 3 decimals, or scientific notation when tiny or huge. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a < 1e-9) return '0.000'; // rounding noise of r - mean, not a value worth an exponent
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return x.toFixed(3);
}
