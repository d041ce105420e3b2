import { describe, expect, it } from 'vitest';
import { besselStd, groupAdvantages, zeroStdGroups } from './advantages.ts';

// P = 2 prompts, G = 3 completions each.
//   group 0: [1, 2, 3]  mean 2, deviations [-1, 0, 1],  sum of squares 2,  var 2/(3-1) = 1,  std 1
//   group 1: [0, 0, 6]  mean 2, deviations [-2, -2, 4], sum of squares 24, var 24/2 = 12,  std sqrt(12)
//   batch:   mean 2, deviations [-1, 0, 1, -2, -2, 4], sum of squares 26, var 26/5 = 5.2, std sqrt(5.2)
const rewards = [1, 2, 3, 0, 0, 6];
const eps = 1e-4;

describe('groupAdvantages', () => {
  it("'none' subtracts the group mean only", () => {
    expect([...groupAdvantages(rewards, 3, 'none')]).toEqual([-1, 0, 1, -2, -2, 4]);
  });

  it("'group' divides by the group's Bessel-corrected std + eps", () => {
    const a = groupAdvantages(rewards, 3, 'group');
    const s1 = Math.sqrt(12) + eps;
    const expected = [-1 / (1 + eps), 0, 1 / (1 + eps), -2 / s1, -2 / s1, 4 / s1];
    expected.forEach((e, i) => expect(a[i]).toBeCloseTo(e, 12));
  });

  it("'batch' divides by the whole batch's std + eps", () => {
    const a = groupAdvantages(rewards, 3, 'batch');
    const s = Math.sqrt(5.2) + eps;
    [-1, 0, 1, -2, -2, 4].forEach((d, i) => expect(a[i]).toBeCloseTo(d / s, 12));
  });

  it('gives 0 for a group whose rewards are all equal, whatever the scale', () => {
    for (const scale of ['group', 'batch', 'none'] as const) {
      expect([...groupAdvantages([1, 1, 1, 0, 1, 0], 3, scale)].slice(0, 3)).toEqual([0, 0, 0]);
    }
  });

  it('uses the given eps', () => {
    // group [0, 2]: mean 1, std sqrt(2) -> A = [-1, 1] / (sqrt(2) + 0.5)
    const a = groupAdvantages([0, 2], 2, 'group', 0.5);
    expect(a[1]).toBeCloseTo(1 / (Math.SQRT2 + 0.5), 12);
  });

  it('refuses bad layouts', () => {
    expect(() => groupAdvantages([1, 2, 3], 2, 'group')).toThrow(/multiple/);
    expect(() => groupAdvantages([1], 1, 'group')).toThrow(/>= 2/);
    expect(groupAdvantages([], 4, 'batch').length).toBe(0);
  });
});

describe('besselStd', () => {
  it('matches torch.std (n - 1)', () => {
    expect(besselStd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12); // sum of squares 5, /3
    expect(besselStd([7])).toBeNaN();
  });
});

describe('zeroStdGroups', () => {
  it('flags groups with all-equal rewards (within 1e-8)', () => {
    expect(zeroStdGroups([1, 1, 1, 2, 0.5, 0.5 + 1e-9], 2)).toEqual([true, false, true]);
  });
});
