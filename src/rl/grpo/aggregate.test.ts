import { describe, expect, it } from 'vitest';
import { aggregationWeights } from './aggregate.ts';

// S = 2 sequences, T = 3 positions: sequence 0 has 2 tokens, sequence 1 has 1; 3 tokens in all.
const mask = [1, 1, 0, 1, 0, 0];
const near = (a: Float64Array, b: number[]) => b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, 14));

describe('aggregationWeights', () => {
  it("'grpo': 1/(count_s * S): [1/4, 1/4, 0, 1/2, 0, 0]", () => {
    near(aggregationWeights(mask, 2, 3, 'grpo', 4), [0.25, 0.25, 0, 0.5, 0, 0]);
  });

  it("'bnpo' and 'dapo': 1/(total tokens) = 1/3 on every token", () => {
    for (const lt of ['bnpo', 'dapo'] as const) near(aggregationWeights(mask, 2, 3, lt, 4), [1 / 3, 1 / 3, 0, 1 / 3, 0, 0]);
  });

  it("'dr_grpo': 1/(S * maxCompletionLength) = 1/(2*4) = 1/8", () => {
    near(aggregationWeights(mask, 2, 3, 'dr_grpo', 4), [0.125, 0.125, 0, 0.125, 0, 0]);
  });

  it("'grpo': an empty sequence contributes 0 but still counts in the mean over S (as in TRL)", () => {
    // sequence 1 has 2 tokens: 1/(2*2) each
    near(aggregationWeights([0, 0, 0, 1, 1, 0], 2, 3, 'grpo', 3), [0, 0, 0, 0.25, 0.25, 0]);
  });

  it('an all-zero mask gives all-zero weights', () => {
    for (const lt of ['grpo', 'bnpo', 'dapo', 'dr_grpo'] as const) {
      expect([...aggregationWeights([0, 0, 0, 0], 2, 2, lt, 2)]).toEqual([0, 0, 0, 0]);
    }
  });

  it('micro-batch totals: dapo uses totalTokens, grpo/dr_grpo use totalSequences, bnpo ignores them', () => {
    const totals = { totalTokens: 6, totalSequences: 4 };
    near(aggregationWeights(mask, 2, 3, 'dapo', 4, totals), [1 / 6, 1 / 6, 0, 1 / 6, 0, 0]);
    near(aggregationWeights(mask, 2, 3, 'bnpo', 4, totals), [1 / 3, 1 / 3, 0, 1 / 3, 0, 0]);
    near(aggregationWeights(mask, 2, 3, 'grpo', 4, totals), [1 / 8, 1 / 8, 0, 1 / 4, 0, 0]);
    near(aggregationWeights(mask, 2, 3, 'dr_grpo', 4, totals), [1 / 16, 1 / 16, 0, 1 / 16, 0, 0]);
  });

  it('refuses a mask of the wrong length', () => {
    expect(() => aggregationWeights([1, 1], 2, 3, 'grpo', 3)).toThrow(/S\*T/);
  });
});
