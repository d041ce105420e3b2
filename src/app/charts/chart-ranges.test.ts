import { describe, expect, it } from 'vitest';
import { displayDomain } from './chart-ranges.ts';

describe('displayDomain', () => {
  it('shows rewards, accuracies, criterion scores and fractions on [0, 1] at least', () => {
    // The case: eval accuracy 0.468 -> 0.476 must not fill the chart.
    expect(displayDomain('eval', [0.468, 0.476])).toEqual([0, 1]);
    expect(displayDomain('reward', [0.2, 1.2])).toEqual([0, 1.2]);
    expect(displayDomain('criterion-correct_answer', [0.999, 1])).toEqual([0, 1]);
    expect(displayDomain('zero-std', [0, 0])).toEqual([0, 1]);
    expect(displayDomain('reward', [-0.5, 0.5])).toEqual([-0.5, 1]);
  });

  it('starts KL at zero', () => {
    expect(displayDomain('kl', [0.01, 0.02])).toEqual([0, 0.02]);
  });

  it('gives other metrics a span of at least a tenth of their size, never below zero for positive ones', () => {
    // 1000 +- 5 tokens/s: a window a tenth of 1005 wide (100.5) around 1000, not a 10-wide one.
    expect(displayDomain('tokens-per-s', [995, 1005])).toEqual([949.75, 1050.25]);
    expect(displayDomain('entropy', [0.5, 2])).toEqual([0.5, 2]);
    expect(displayDomain('lr', [1e-5, 1e-5])).toEqual([expect.closeTo(9.5e-6, 12), expect.closeTo(1.05e-5, 12)]);
    expect(displayDomain('loss', [0, 0])).toEqual([0, 1]);
    expect(displayDomain('loss', [-0.02, -0.01])).toEqual([-0.02, -0.01]); // already wide enough
    // A negative metric that barely moves: centred on its middle, a tenth of its size wide (0.1 * 2 = 0.2).
    expect(displayDomain('loss', [-2, -1.99])).toEqual([expect.closeTo(-2.095, 9), expect.closeTo(-1.895, 9)]);
    expect(displayDomain('loss', null)).toBeNull();
  });
});
