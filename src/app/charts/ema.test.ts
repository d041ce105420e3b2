import { describe, expect, it } from 'vitest';
import { emaSmooth } from './ema.ts';

describe('emaSmooth', () => {
  it('returns the values unchanged at weight 0', () => {
    expect(emaSmooth([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it('is debiased: the first point is the first value, a constant series stays constant', () => {
    expect(emaSmooth([3], 0.9)).toEqual([3]);
    for (const v of emaSmooth([2, 2, 2, 2, 2], 0.95)) expect(v).toBeCloseTo(2, 12);
  });

  it('matches the debiased recurrence by hand', () => {
    // w = 0.5: raw EMA 0.5, 1.25; debias 1 - 0.5 = 0.5, 1 - 0.25 = 0.75.
    const [a, b] = emaSmooth([1, 2], 0.5);
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(1.25 / 0.75, 12);
  });

  it('lags behind a step change, more with a larger weight', () => {
    const xs = [0, 0, 0, 1, 1, 1];
    const light = emaSmooth(xs, 0.3);
    const heavy = emaSmooth(xs, 0.9);
    expect(light[3]).toBeGreaterThan(heavy[3]);
    expect(heavy[5]).toBeLessThan(1);
    expect(heavy[5]).toBeGreaterThan(0);
  });

  it('passes non-finite values through without letting them poison the average', () => {
    const out = emaSmooth([1, Number.NaN, 1], 0.8);
    expect(out[0]).toBe(1);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(1, 12);
  });
});
