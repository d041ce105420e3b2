import { describe, expect, it } from 'vitest';
import {
  dynamicSamplingMetrics,
  planNextRound,
  sampleGroupsDynamically,
  type DynamicSamplingOptions,
  type SampleGroups,
} from './dynamic-sampling.ts';

const G = 2;
const FLAT = [1, 1];
const MIXED = [0, 1];

/**
 * A sampler over a fixed list of group rewards, handed out in order: item ids are "g<index>.<member>", so a
 * result shows exactly which groups were kept. Records every call as [n, round].
 */
function queueSampler(groups: number[][]) {
  let next = 0;
  const calls: [number, number][] = [];
  const sample: SampleGroups<string> = async (n, round) => {
    calls.push([n, round]);
    const items: string[] = [];
    const rewards: number[] = [];
    for (let k = 0; k < n; k++, next++) {
      const r = groups[next % groups.length];
      r.forEach((x, g) => {
        items.push(`g${next}.${g}`);
        rewards.push(x);
      });
    }
    return { items, rewards };
  };
  return { sample, calls };
}

const opts = (mode: DynamicSamplingOptions['mode'], extra: Partial<DynamicSamplingOptions> = {}): DynamicSamplingOptions => ({
  mode, targetGroups: 4, maxExtraRounds: 3, ...extra,
});

describe('planNextRound', () => {
  it('stops when full, when not resampling, and when the extra rounds are spent', () => {
    expect(planNextRound(opts('resample'), { sampledGroups: 6, keptGroups: 4, extraRounds: 1 })).toEqual({ draw: 0, stop: 'filled' });
    expect(planNextRound(opts('skip'), { sampledGroups: 4, keptGroups: 2, extraRounds: 0 })).toEqual({ draw: 0, stop: 'not_resampling' });
    expect(planNextRound(opts('resample'), { sampledGroups: 16, keptGroups: 2, extraRounds: 3 })).toEqual({ draw: 0, stop: 'rounds_exhausted' });
  });

  it('draws missing / keep-rate, at least the missing count, at most a round (targetGroups)', () => {
    // kept 2 of 4 (rate 1/2), missing 2 -> 4
    expect(planNextRound(opts('resample'), { sampledGroups: 4, keptGroups: 2, extraRounds: 0 }).draw).toBe(4);
    // kept 3 of 4 (rate 3/4), missing 1 -> ceil(4/3) = 2
    expect(planNextRound(opts('resample'), { sampledGroups: 4, keptGroups: 3, extraRounds: 0 }).draw).toBe(2);
    // kept 1 of 4 (rate 1/4), missing 3 -> 12, capped at 4
    expect(planNextRound(opts('resample'), { sampledGroups: 4, keptGroups: 1, extraRounds: 0 }).draw).toBe(4);
    // nothing kept yet -> the cap; a custom cap applies
    expect(planNextRound(opts('resample'), { sampledGroups: 4, keptGroups: 0, extraRounds: 0 }).draw).toBe(4);
    expect(planNextRound(opts('resample', { maxGroupsPerRound: 8 }), { sampledGroups: 4, keptGroups: 1, extraRounds: 0 }).draw).toBe(8);
  });

  it('refuses bad options', () => {
    const p = { sampledGroups: 0, keptGroups: 0, extraRounds: 0 };
    expect(() => planNextRound(opts('often' as never), p)).toThrow(/unknown dynamic sampling mode 'often'/);
    expect(() => planNextRound(opts('resample', { targetGroups: 0 }), p)).toThrow(/targetGroups/);
    expect(() => planNextRound(opts('resample', { maxExtraRounds: -1 }), p)).toThrow(/maxExtraRounds/);
    expect(() => planNextRound(opts('resample', { maxGroupsPerRound: 0.5 }), p)).toThrow(/maxGroupsPerRound/);
  });
});

describe('sampleGroupsDynamically', () => {
  // first round: groups 0..3 = FLAT, MIXED, FLAT, MIXED -> 2 kept
  const pattern = [FLAT, MIXED, FLAT, MIXED];

  it("'off' keeps every group of one round and flags the flat ones", async () => {
    const { sample, calls } = queueSampler(pattern);
    const r = await sampleGroupsDynamically(G, opts('off'), sample);
    expect(calls).toEqual([[4, 0]]);
    expect(r.items).toEqual(['g0.0', 'g0.1', 'g1.0', 'g1.1', 'g2.0', 'g2.1', 'g3.0', 'g3.1']);
    expect(r.zeroStd).toEqual([true, false, true, false]);
    expect(r.stats).toMatchObject({ rounds: 1, sampledGroups: 4, keptGroups: 4, zeroStdGroups: 2, filled: true });
    expect(r.stats.firstRoundZeroStdFraction).toBe(0.5);
  });

  it("'skip' drops the flat groups of one round and leaves the batch short", async () => {
    const { sample, calls } = queueSampler(pattern);
    const r = await sampleGroupsDynamically(G, opts('skip'), sample);
    expect(calls).toEqual([[4, 0]]);
    expect(r.items).toEqual(['g1.0', 'g1.1', 'g3.0', 'g3.1']);
    expect(r.rewards).toEqual([0, 1, 0, 1]);
    expect(r.stats).toMatchObject({ rounds: 1, keptGroups: 2, filled: false, surplusGroups: 0 });
  });

  it("'resample' draws more prompts until full, keeps sampling order and drops the surplus", async () => {
    const { sample, calls } = queueSampler(pattern);
    const r = await sampleGroupsDynamically(G, opts('resample'), sample);
    // round 0 keeps g1, g3 (rate 1/2, missing 2 -> draw 4); round 1 samples g4..g7 and keeps g5, g7
    expect(calls).toEqual([[4, 0], [4, 1]]);
    expect(r.items).toEqual(['g1.0', 'g1.1', 'g3.0', 'g3.1', 'g5.0', 'g5.1', 'g7.0', 'g7.1']);
    expect(r.zeroStd).toEqual([false, false, false, false]);
    // the first round as sampled, flat groups included, for unbiased reward metrics
    expect(r.firstRound.items).toEqual(['g0.0', 'g0.1', 'g1.0', 'g1.1', 'g2.0', 'g2.1', 'g3.0', 'g3.1']);
    expect(Array.from(r.firstRound.rewards)).toEqual([1, 1, 0, 1, 1, 1, 0, 1]);
    expect(r.stats).toEqual({
      rounds: 2, sampledGroups: 8, keptGroups: 4, zeroStdGroups: 4, firstRoundZeroStdFraction: 0.5, surplusGroups: 0, filled: true,
    });
  });

  it("'resample' with a high keep rate draws only the missing groups and truncates the surplus", async () => {
    // round 0: MIXED x3 + FLAT -> 3 kept, missing 1, rate 3/4 -> draw ceil(4/3) = 2, both MIXED -> 1 surplus
    const { sample, calls } = queueSampler([MIXED, MIXED, MIXED, FLAT, MIXED, MIXED]);
    const r = await sampleGroupsDynamically(G, opts('resample'), sample);
    expect(calls).toEqual([[4, 0], [2, 1]]);
    expect(r.items).toEqual(['g0.0', 'g0.1', 'g1.0', 'g1.1', 'g2.0', 'g2.1', 'g4.0', 'g4.1']);
    expect(r.stats).toMatchObject({ rounds: 2, sampledGroups: 6, keptGroups: 4, surplusGroups: 1, filled: true });
  });

  it("'resample' stops after maxExtraRounds and returns what it kept (here nothing)", async () => {
    const { sample, calls } = queueSampler([FLAT]);
    const r = await sampleGroupsDynamically(G, opts('resample', { maxExtraRounds: 2 }), sample);
    expect(calls).toEqual([[4, 0], [4, 1], [4, 2]]);
    expect(r.items).toEqual([]);
    expect(r.stats).toMatchObject({ rounds: 3, sampledGroups: 12, keptGroups: 0, zeroStdGroups: 12, filled: false });
    expect(r.stats.firstRoundZeroStdFraction).toBe(1);
    expect(dynamicSamplingMetrics(r.stats)).toEqual({
      'dynamic_sampling/rounds': 3,
      'dynamic_sampling/groups_sampled': 12,
      'dynamic_sampling/groups_kept': 0,
      'dynamic_sampling/filled': 0,
    });
  });

  it("'resample' with maxExtraRounds 0 behaves like 'skip'", async () => {
    const { sample, calls } = queueSampler(pattern);
    const r = await sampleGroupsDynamically(G, opts('resample', { maxExtraRounds: 0 }), sample);
    expect(calls).toEqual([[4, 0]]);
    expect(r.stats.keptGroups).toBe(2);
  });

  it('refuses a callback that returns the wrong number of items, and passes callback errors through', async () => {
    const short: SampleGroups<string> = async (n) => ({ items: Array(n * G - 1).fill('x'), rewards: Array(n * G).fill(0) });
    await expect(sampleGroupsDynamically(G, opts('resample'), short)).rejects.toThrow(/expected n\*G = 8/);
    const failing: SampleGroups<string> = async () => {
      throw new Error('decode failed');
    };
    await expect(sampleGroupsDynamically(G, opts('skip'), failing)).rejects.toThrow('decode failed');
  });
});
