// The weight fit recovers known weights from synthetic labels (labels made from a known weighting of random
// criterion scores), keeps penalties and uninformative criteria as they were, and its agreement numbers match
// values worked out by hand.
import { describe, expect, it } from 'vitest';
import { agreement, fitWeights } from './weight-fit.ts';

/** A small seeded generator (mulberry32), so the synthetic scores are the same every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const randomScores = (n: number, m: number, seed: number) => {
  const r = rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => r()));
};
const dot = (s: readonly number[], w: readonly number[]) => s.reduce((a, x, k) => a + x * w[k], 0);
const normalised = (w: readonly number[]) => w.map((v) => v / w.reduce((a, x) => a + x, 0));

describe('agreement (hand-computed)', () => {
  it('rewards [3, 2, 1] vs labels [1, 0, 0]: both differently-labelled pairs right; tau-b = 2 / sqrt(2 * 3)', () => {
    // pairs (0,1) and (0,2): concordant; (1,2): tied in label only. C = 2, D = 0, label-only ties 1.
    const a = agreement([3, 2, 1], [1, 0, 0]);
    expect(a.pairs).toBe(2);
    expect(a.pairwiseAccuracy).toBe(1);
    expect(a.kendallTau).toBeCloseTo(2 / Math.sqrt(6), 12);
  });

  it('rewards [1, 1, 0] vs labels [1, 0, 0]: a reward tie counts 1/2 (0.75); tau-b = 1 / sqrt(2 * 2)', () => {
    // (0,1): tied in reward only; (0,2): concordant; (1,2): tied in label only.
    const a = agreement([1, 1, 0], [1, 0, 0]);
    expect(a.pairwiseAccuracy).toBe(0.75);
    expect(a.kendallTau).toBeCloseTo(0.5, 12);
  });

  it('a reversed order: accuracy 0, tau -1', () => {
    const a = agreement([1, 2, 3, 4], [4, 3, 2, 1]);
    expect(a.pairwiseAccuracy).toBe(0);
    expect(a.kendallTau).toBe(-1);
  });
});

describe('fitWeights', () => {
  it('recovers known weights from labels made from them (up to the labels\' arbitrary scale and offset)', () => {
    const truth = [1, 0.2, 0, 0.5];
    const scores = randomScores(30, 4, 7);
    const labels = scores.map((s) => 3 * dot(s, truth) + 7); // another unit and an offset: only the order matters
    const fit = fitWeights({ scores, labels, weights: [1, 1, 1, 1] });
    expect(fit.fitted).toEqual([true, true, true, true]);
    // The fit keeps the fitted criteria's weight sum (4): truth scaled to sum 4 is [2.353, 0.471, 0, 1.176].
    expect(fit.weights.reduce((a, v) => a + v, 0)).toBeCloseTo(4, 6);
    normalised(fit.weights).forEach((v, k) => expect(v).toBeCloseTo(normalised(truth)[k], 4));
    expect(fit.after.pairwiseAccuracy).toBe(1);
    expect(fit.after.kendallTau).toBe(1);
    expect(fit.before.pairwiseAccuracy).toBeLessThan(1);
  });

  it('a negative-weight criterion stays fixed and the others come out in its units', () => {
    const truth = [0.8, 0.3, -0.5]; // criterion 2 is a penalty the person keeps
    const scores = randomScores(25, 3, 11);
    const labels = scores.map((s) => 2 * dot(s, truth) - 1);
    const fit = fitWeights({ scores, labels, weights: [0.1, 1, -0.5] });
    expect(fit.fitted).toEqual([true, true, false]);
    expect(fit.weights[2]).toBe(-0.5);
    expect(fit.weights[0]).toBeCloseTo(0.8, 4);
    expect(fit.weights[1]).toBeCloseTo(0.3, 4);
  });

  it('good/bad labels from a hidden weighting: the fitted weights order the samples far better than the starting ones', () => {
    const truth = [0, 1, 0.1];
    const scores = randomScores(40, 3, 3);
    const rewards = scores.map((s) => dot(s, truth));
    const median = [...rewards].sort((a, b) => a - b)[20];
    const labels = rewards.map((r) => (r >= median ? 1 : 0));
    const fit = fitWeights({ scores, labels, weights: [1, 0.1, 0.1] });
    expect(fit.before.pairwiseAccuracy).toBeLessThan(0.75);
    expect(fit.after.pairwiseAccuracy).toBeGreaterThan(0.95);
    expect(fit.weights[1]).toBeGreaterThan(fit.weights[0] * 5);
  });

  it('unlabelled samples are left out; a criterion constant on the labelled ones keeps its weight', () => {
    const scores = [
      [1, 0.5],
      [0, 0.5],
      [0.5, 0.5],
      [9, 9], // not labelled: ignored
    ];
    const fit = fitWeights({ scores, labels: [1, 0, undefined, undefined], weights: [0.3, 2] });
    expect(fit.samples).toBe(2);
    expect(fit.fitted).toEqual([true, false]);
    expect(fit.weights).toEqual([0.3, 2]); // only one free criterion: rescaled to its own previous weight
  });

  it('nothing to learn: a note, and the weights unchanged', () => {
    const scores = [
      [1, 0],
      [0, 1],
    ];
    expect(fitWeights({ scores, labels: [1, 1], weights: [1, 1] }).note).toBe('label at least two samples differently');
    // Labels that prefer whatever every criterion scores lower: no non-negative weighting helps.
    const anti = fitWeights({ scores: [[1], [0]], labels: [0, 1], weights: [1] });
    expect(anti.note).toMatch(/no non-negative weighting/);
    expect(anti.weights).toEqual([1]);
  });
});
