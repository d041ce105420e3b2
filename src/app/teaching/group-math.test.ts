import { describe, expect, it } from 'vitest';
import { besselStd, groupAdvantages } from '../../rl/grpo/advantages.ts';
import type { CompletionView, StepRollouts } from '../../worker/protocol.ts';
import { fmt, instructiveGroup, normaliseGroups, normaliseStep, pushCounts, sampleStd, weightedReward, type Scaling } from './group-math.ts';

/** A deterministic pseudo-random reward table [P][G] with some flat groups. */
function rewardTable(P: number, G: number, seed: number): number[][] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: P }, (_, p) => Array.from({ length: G }, () => (p % 3 === 2 ? 0.2 : Math.round(rand() * 12) / 10)));
}

/** A step's rollouts as the worker sends them: advantages from the trainer's own function. */
function stepFrom(table: number[][], scaling: Scaling): StepRollouts {
  const G = table[0].length;
  const adv = groupAdvantages(table.flat(), G, scaling);
  return {
    step: 3,
    criteria: [{ name: 'correct_answer', kind: 'correct_answer', weight: 1 }],
    groups: table.map((rewards, p) => ({
      prompt: `prompt ${p}`,
      answer: '1',
      rewardMean: rewards.reduce((a, b) => a + b, 0) / G,
      rewardStd: besselStd(rewards),
      completions: rewards.map((reward, g): CompletionView => ({
        text: `c${g}`,
        tokens: [],
        reward,
        advantage: adv[p * G + g],
        scores: { correct_answer: reward },
        truncated: false,
      })),
    })),
  };
}

describe('weightedReward', () => {
  it('is the weighted sum of the scores; a missing score counts 0', () => {
    const w = weightedReward({ a: 1, b: 0.5 }, [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 0.2 },
      { name: 'c', weight: 3 },
    ]);
    expect(w.terms.map((t) => t.value)).toEqual([1, 0.1, 0]);
    expect(w.total).toBeCloseTo(1.1, 12);
  });
});

describe('group normalisation', () => {
  it('works a small example by hand', () => {
    const [n] = normaliseGroups([[1, 0, 0, 1]], 'group', 0);
    expect(n.mean).toBe(0.5);
    expect(n.std).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(n.advantages[0]).toBeCloseTo(0.5 / Math.sqrt(1 / 3), 12);
    expect(n.advantages[1]).toBeCloseTo(-0.5 / Math.sqrt(1 / 3), 12);
    expect(n.flat).toBe(false);
    expect(normaliseGroups([[1, 0, 0, 1]], 'none')[0].advantages).toEqual([0.5, -0.5, -0.5, 0.5]);
  });

  it('gives 0 advantages (not NaN; up to rounding, as the trainer does) to a flat group', () => {
    const [n] = normaliseGroups([[0.2, 0.2, 0.2]], 'group');
    expect(n.flat).toBe(true);
    for (const a of n.advantages) expect(Math.abs(a)).toBeLessThan(1e-9);
    expect(n.advantages.map(fmt)).toEqual(['0.000', '0.000', '0.000']);
  });

  for (const scaling of ['group', 'batch', 'none'] as const) {
    it(`matches the trainer's groupAdvantages (scaleRewards ${scaling})`, () => {
      for (const [P, G, seed] of [
        [1, 2, 1],
        [4, 4, 7],
        [6, 8, 42],
        [3, 16, 5],
      ]) {
        const table = rewardTable(P, G, seed);
        const ours = normaliseGroups(table, scaling).flatMap((n) => n.advantages);
        const theirs = Array.from(groupAdvantages(table.flat(), G, scaling));
        const maxDiff = Math.max(...ours.map((a, i) => Math.abs(a - theirs[i])));
        expect(maxDiff, `P=${P} G=${G}: max difference ${maxDiff}`).toBeLessThan(1e-9);
      }
    });
  }

  it("agrees with the worker-sent advantages, group means and stds of a step's rollouts", () => {
    for (const scaling of ['group', 'batch', 'none'] as const) {
      const step = stepFrom(rewardTable(5, 6, 11), scaling);
      const norms = normaliseStep(step, scaling);
      step.groups.forEach((g, p) => {
        expect(norms[p].mean).toBeCloseTo(g.rewardMean, 12);
        expect(norms[p].std).toBeCloseTo(g.rewardStd, 12);
        g.completions.forEach((c, i) => expect(norms[p].advantages[i]).toBeCloseTo(c.advantage, 9));
      });
    }
  });

  it('batch scaling divides by the std of every reward of the step', () => {
    const table = [
      [0, 1],
      [0, 0.5],
    ];
    const norms = normaliseGroups(table, 'batch', 0);
    expect(norms[0].divisor).toBeCloseTo(sampleStd([0, 1, 0, 0.5]), 12);
    expect(norms[1].advantages[1]).toBeCloseTo(0.25 / sampleStd([0, 1, 0, 0.5]), 12);
  });

  it('explains the first group with a learning signal', () => {
    expect(instructiveGroup(normaliseGroups([[1, 1], [0, 1]], 'group'))).toBe(1);
    expect(instructiveGroup(normaliseGroups([[1, 1]], 'group'))).toBe(0);
  });
});

describe('pushCounts and fmt', () => {
  it('counts trained tokens by the sign of their completion advantage', () => {
    const t = (trained: boolean) => ({ trained });
    const counts = pushCounts([
      { advantage: 1.2, tokens: [t(true), t(true), t(false)] },
      { advantage: -0.4, tokens: [t(true)] },
      { advantage: 0, tokens: [t(true), t(true)] },
    ]);
    expect(counts).toEqual({ up: 2, down: 1, still: 2, ignored: 1 });
  });

  it('formats numbers for the explanations', () => {
    expect(fmt(0.5)).toBe('0.500');
    expect(fmt(-1.23456)).toBe('-1.235');
    expect(fmt(1e-12)).toBe('0.000');
    expect(fmt(0.00005)).toBe('5.00e-5');
    expect(fmt(123456)).toBe('1.23e+5');
  });
});
