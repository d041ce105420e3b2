import { describe, expect, it } from 'vitest';
import { clippedSurrogate, k3KL } from './surrogate.ts';

const EPS_LOW = 0.2; // clamp lower bound 0.8
const EPS_HIGH = 0.28; // clamp upper bound 1.28
const old = -1.5;
const at = (ratio: number) => old + Math.log(ratio);

function finiteDiff(f: (x: number) => number, x: number, h = 1e-6): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe('clippedSurrogate', () => {
  it('ratio 1 (first iteration): loss -A, gradient -A', () => {
    const r = clippedSurrogate(old, old, 2, EPS_LOW, EPS_HIGH);
    expect(r.loss).toBeCloseTo(-2, 12);
    expect(r.dlogp).toBeCloseTo(-2, 12);
    expect(r.lowClipped || r.highClipped).toBe(false);
  });

  it('A > 0, ratio 1.5 above 1.28: clamped, loss -1.28*2 = -2.56, gradient 0, high-clipped', () => {
    const r = clippedSurrogate(at(1.5), old, 2, EPS_LOW, EPS_HIGH);
    expect(r.loss).toBeCloseTo(-2.56, 12);
    expect(r.dlogp).toBe(0);
    expect(r.highClipped).toBe(true);
    expect(r.lowClipped).toBe(false);
  });

  it('A < 0, ratio 1.5: min(-3, -2.56) = -3 is unclipped, loss 3, gradient -1.5*-2 = 3', () => {
    const r = clippedSurrogate(at(1.5), old, -2, EPS_LOW, EPS_HIGH);
    expect(r.loss).toBeCloseTo(3, 12);
    expect(r.dlogp).toBeCloseTo(3, 12);
    expect(r.lowClipped || r.highClipped).toBe(false);
  });

  it('A < 0, ratio 0.5 below 0.8: min(-1, -1.6) = -1.6 clamped, loss 1.6, gradient 0, low-clipped', () => {
    const r = clippedSurrogate(at(0.5), old, -2, EPS_LOW, EPS_HIGH);
    expect(r.loss).toBeCloseTo(1.6, 12);
    expect(r.dlogp).toBe(0);
    expect(r.lowClipped).toBe(true);
    expect(r.highClipped).toBe(false);
  });

  it('A > 0, ratio 0.5: min(1, 1.6) = 1 is unclipped, loss -1, gradient -0.5*2 = -1', () => {
    const r = clippedSurrogate(at(0.5), old, 2, EPS_LOW, EPS_HIGH);
    expect(r.loss).toBeCloseTo(-1, 12);
    expect(r.dlogp).toBeCloseTo(-1, 12);
    expect(r.lowClipped || r.highClipped).toBe(false);
  });

  it('inside the range: loss -ratio*A for either sign', () => {
    expect(clippedSurrogate(at(1.1), old, 3, EPS_LOW, EPS_HIGH).loss).toBeCloseTo(-3.3, 12);
    expect(clippedSurrogate(at(0.9), old, -3, EPS_LOW, EPS_HIGH).loss).toBeCloseTo(2.7, 12);
  });

  it('A = 0: loss and gradient 0, nothing clipped', () => {
    const r = clippedSurrogate(at(3), old, 0, EPS_LOW, EPS_HIGH);
    expect(r.loss === 0 && r.dlogp === 0 && !r.lowClipped && !r.highClipped).toBe(true);
  });

  it('gradient matches finite differences away from the clip kinks', () => {
    for (const ratio of [0.3, 0.7, 0.95, 1, 1.2, 1.4, 2.5]) {
      for (const A of [-1.7, -0.3, 0.4, 2.2]) {
        const x = at(ratio);
        const r = clippedSurrogate(x, old, A, EPS_LOW, EPS_HIGH);
        const fd = finiteDiff((lp) => clippedSurrogate(lp, old, A, EPS_LOW, EPS_HIGH).loss, x);
        expect(Math.abs(r.dlogp - fd), `ratio ${ratio} A ${A}`).toBeLessThan(1e-7);
      }
    }
  });
});

describe('k3KL', () => {
  it('is 0 with gradient 0 when policy and reference agree', () => {
    expect(k3KL(-0.7, -0.7)).toEqual({ kl: 0, dlogp: 0 });
  });

  it('hand values: p = 0.5, ref = 0.25 -> d = ln 0.5, kl = 0.5 + ln 2 - 1, dkl = 1 - 0.5', () => {
    const r = k3KL(Math.log(0.5), Math.log(0.25));
    expect(r.kl).toBeCloseTo(0.5 + Math.LN2 - 1, 12); // 0.19314718...
    expect(r.dlogp).toBeCloseTo(0.5, 12);
    // p = 0.25, ref = 0.5 -> d = ln 2, kl = 2 - ln 2 - 1 = 0.30685..., dkl = 1 - 2 = -1
    const s = k3KL(Math.log(0.25), Math.log(0.5));
    expect(s.kl).toBeCloseTo(1 - Math.LN2, 12);
    expect(s.dlogp).toBeCloseTo(-1, 12);
  });

  it('is non-negative and its gradient matches finite differences', () => {
    for (const [lp, ref] of [[-1, -3], [-3, -1], [-0.01, -5], [-2, -2.1]]) {
      const r = k3KL(lp, ref);
      expect(r.kl).toBeGreaterThanOrEqual(0);
      expect(Math.abs(r.dlogp - finiteDiff((x) => k3KL(x, ref).kl, lp))).toBeLessThan(1e-6);
    }
  });
});
