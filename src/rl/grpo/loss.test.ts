import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng.ts';
import type { LossType } from './aggregate.ts';
import { grpoLoss, type GrpoLossInput } from './loss.ts';

const S = 3;
const T = 5;
const EPS_LOW = 0.2;
const EPS_HIGH = 0.28;
const KINKS = [Math.log(1 - EPS_LOW), Math.log(1 + EPS_HIGH)];

const DELTAS = [0.6, -0.6, 0.1, -0.1, 0.35, -0.35, 0];

/** Random inputs whose log-ratios keep clear of the clip kinks, so finite differences are valid. */
function randomInput(lossType: LossType, beta: number, seed = 1): GrpoLossInput {
  const rng = new Rng(seed, 99);
  const logp = new Float32Array(S * T);
  const oldLogp = new Float32Array(S * T);
  const refLogp = new Float32Array(S * T);
  for (let i = 0; i < S * T; i++) {
    oldLogp[i] = -0.8 - 3 * rng.uniform();
    // log-ratios on both sides of both clip bounds (so some tokens are clipped), jittered
    let delta = DELTAS[i % DELTAS.length] + 0.04 * (rng.uniform() - 0.5);
    while (KINKS.some((k) => Math.abs(delta - k) < 0.02)) delta += 0.05;
    logp[i] = oldLogp[i] + delta;
    refLogp[i] = logp[i] + (rng.uniform() - 0.5);
  }
  const mask = Float32Array.from([1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  return {
    logp, oldLogp, refLogp, mask, S, T, lossType, beta,
    advantages: Float64Array.from([1.3, -0.7, 0.4]),
    epsLow: EPS_LOW, epsHigh: EPS_HIGH, maxCompletionLength: 8,
  };
}

describe('grpoLoss', () => {
  for (const lossType of ['grpo', 'bnpo', 'dr_grpo', 'dapo'] as const) {
    for (const beta of [0, 0.1]) {
      it(`${lossType}, beta ${beta}: dlogp matches finite differences of the loss`, () => {
        const input = randomInput(lossType, beta);
        const out = grpoLoss(input);
        let maxDiff = 0;
        for (let i = 0; i < S * T; i++) {
          const x = input.logp[i];
          const plus = new Float32Array(input.logp);
          const minus = new Float32Array(input.logp);
          plus[i] = x + 1e-3;
          minus[i] = x - 1e-3;
          const step = plus[i] - minus[i]; // the f32 values actually used
          const fd = (grpoLoss({ ...input, logp: plus }).loss - grpoLoss({ ...input, logp: minus }).loss) / step;
          maxDiff = Math.max(maxDiff, Math.abs(fd - out.dlogp[i]));
          if (input.mask[i] === 0) expect(out.dlogp[i]).toBe(0);
        }
        expect(maxDiff, `max |fd - dlogp| = ${maxDiff}`).toBeLessThan(1e-5);
      });
    }
  }

  it('some tokens of the random input are clipped and the fractions are masked means', () => {
    const out = grpoLoss(randomInput('grpo', 0));
    expect(out.clipRegion).toBeGreaterThan(0);
    expect(out.clipRegion).toBeLessThan(1);
    expect(out.clipRegion).toBeCloseTo(out.clipLow + out.clipHigh, 12);
  });

  it('beta = 0 ignores the reference in loss and gradient (kl is still reported when given)', () => {
    const input = randomInput('dapo', 0);
    const withRef = grpoLoss(input);
    const withoutRef = grpoLoss({ ...input, refLogp: null });
    const otherRef = grpoLoss({ ...input, refLogp: new Float32Array(S * T).fill(-9) });
    expect(withoutRef.loss).toBe(withRef.loss);
    expect(otherRef.loss).toBe(withRef.loss);
    expect([...withoutRef.dlogp]).toEqual([...withRef.dlogp]);
    expect(withoutRef.kl).toBe(0);
    expect(withRef.kl).toBeGreaterThan(0);
  });

  it('beta > 0 needs the reference', () => {
    expect(() => grpoLoss({ ...randomInput('grpo', 0.1), refLogp: null })).toThrow(/refLogp/);
  });

  it('hand values: first iteration (ratio 1), grpo: loss = -mean_s A_s, dlogp = -A_s / (count_s * S)', () => {
    // S = 2, T = 2; sequence 0 has 2 tokens with A = 1, sequence 1 has 1 token with A = -2.
    // loss = mean over sequences of (mean over tokens of -A) = (-1 + 2) / 2 = 0.5
    const logp = Float32Array.from([-1, -2, -0.5, -3]);
    const out = grpoLoss({
      logp, oldLogp: logp, refLogp: null, advantages: Float64Array.from([1, -2]), mask: Float32Array.from([1, 1, 1, 0]),
      S: 2, T: 2, lossType: 'grpo', epsLow: 0.2, epsHigh: 0.2, beta: 0, maxCompletionLength: 2,
    });
    expect(out.loss).toBeCloseTo(0.5, 12);
    expect([...out.dlogp]).toEqual([-0.25, -0.25, 1, 0]);
    expect(out.clipRegion).toBe(0);
  });

  it('hand values: clip fractions over masked tokens', () => {
    // S = 1, T = 3, A = 1: ratios 1.5 (high-clipped), 1, and a masked token with ratio 3.
    const oldLogp = Float32Array.from([-1, -1, -1]);
    const logp = Float32Array.from([-1 + Math.log(1.5), -1, -1 + Math.log(3)]);
    const out = grpoLoss({
      logp, oldLogp, refLogp: null, advantages: Float64Array.from([1]), mask: Float32Array.from([1, 1, 0]),
      S: 1, T: 3, lossType: 'bnpo', epsLow: 0.2, epsHigh: 0.2, beta: 0, maxCompletionLength: 3,
    });
    expect(out.clipHigh).toBe(0.5);
    expect(out.clipLow).toBe(0);
    expect(out.clipRegion).toBe(0.5);
    // loss = (-1.2 + -1) / 2
    expect(out.loss).toBeCloseTo(-1.1, 6);
  });

  it('refuses mismatched lengths', () => {
    expect(() => grpoLoss({ ...randomInput('grpo', 0), advantages: new Float64Array(2) })).toThrow(/advantages/);
    expect(() => grpoLoss({ ...randomInput('grpo', 0), mask: new Float32Array(3) })).toThrow(/mask/);
  });
});
