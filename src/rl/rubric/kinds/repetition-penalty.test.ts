import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { repeatedFraction } from './repetition-penalty.ts';

const score = (completion: string, params = {}) => createCriterion('repetition_penalty', params)({ prompt: 'p', completion, answer: '' });

describe('repetition_penalty', () => {
  it('repeatedFraction by hand', () => {
    expect(repeatedFraction(['a', 'b', 'c', 'd'], 2)).toBe(0);
    // a b a b a: bigrams ab ba ab ba -> 2 distinct of 4
    expect(repeatedFraction(['a', 'b', 'a', 'b', 'a'], 2)).toBe(0.5);
    expect(repeatedFraction(['a', 'a', 'a', 'a'], 1)).toBe(0.75);
    expect(repeatedFraction(['a', 'b'], 3)).toBe(0);
    expect(repeatedFraction([], 1)).toBe(0);
  });

  it('minus the fraction, over words or characters', () => {
    expect(score('the cat sat on the mat')).toBeCloseTo(0, 12);
    expect(score('go go go go go go', { n: 1 })).toBeCloseTo(-5 / 6, 12);
    expect(score('I am here. I am here. I am here.', { n: 3 })).toBeCloseTo(-(1 - 3 / 7), 12);
    expect(score('abab', { unit: 'chars', n: 2 })).toBeCloseTo(-1 / 3, 12);
    expect(score('<answer>x x x</answer> fine', { field: 'answer', n: 1 })).toBeCloseTo(-2 / 3, 12);
    expect(score('short', { n: 3 })).toBe(0);
  });

  it('huge and unicode input', () => {
    const t0 = performance.now();
    expect(score('🙂 '.repeat(300_000), { n: 2 })).toBeCloseTo(-1, 4);
    expect(score('🙂🙂🙂', { unit: 'chars', n: 1 })).toBeCloseTo(-2 / 3, 12);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
