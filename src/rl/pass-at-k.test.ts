// pass@k against values worked out by hand and against brute-force enumeration of every k-subset.
import { describe, expect, it } from 'vitest';
import { meanPassAtK, passAtK, reportedKs } from './pass-at-k.ts';

/** Fraction of the k-subsets of n samples (c passing: samples 0..c-1) that contain a passing one. */
function bruteForce(n: number, c: number, k: number): number {
  let hit = 0;
  let all = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let bits = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) bits++;
    if (bits !== k) continue;
    all++;
    if (mask & ((1 << c) - 1)) hit++;
  }
  return hit / all;
}

describe('pass@k', () => {
  it('matches hand-worked values', () => {
    expect(passAtK(10, 0, 1)).toBe(0);
    expect(passAtK(10, 10, 1)).toBe(1);
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 15); // pass@1 = c/n
    // n=4, c=1, k=2: 1 - C(3,2)/C(4,2) = 1 - 3/6 = 0.5
    expect(passAtK(4, 1, 2)).toBeCloseTo(0.5, 15);
    // n=5, c=2, k=3: 1 - C(3,3)/C(5,3) = 1 - 1/10 = 0.9
    expect(passAtK(5, 2, 3)).toBeCloseTo(0.9, 15);
    expect(passAtK(5, 3, 3)).toBe(1); // n - c < k
  });

  it('equals enumeration of all k-subsets for n <= 8', () => {
    for (let n = 1; n <= 8; n++) for (let c = 0; c <= n; c++) for (let k = 1; k <= n; k++) expect(passAtK(n, c, k)).toBeCloseTo(bruteForce(n, c, k), 12);
  });

  it('stays finite for large n (no factorials)', () => {
    const v = passAtK(1000, 7, 100);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(0.5);
    expect(v).toBeLessThan(1);
  });

  it('refuses impossible arguments', () => {
    expect(() => passAtK(3, 4, 1)).toThrow(RangeError);
    expect(() => passAtK(3, 1, 4)).toThrow(/1 <= k <= n/);
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError);
  });

  it('averages over problems with enough samples; reports 1, powers of two and n', () => {
    expect(meanPassAtK([{ n: 4, c: 1 }, { n: 4, c: 4 }, { n: 1, c: 0 }], 2)).toBeCloseTo((0.5 + 1) / 2, 15);
    expect(meanPassAtK([{ n: 1, c: 0 }], 2)).toBeNaN();
    expect(reportedKs(1)).toEqual([1]);
    expect(reportedKs(8)).toEqual([1, 2, 4, 8]);
    expect(reportedKs(10)).toEqual([1, 2, 4, 8, 10]);
  });
});
