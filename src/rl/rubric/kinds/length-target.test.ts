import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { lengthScore } from './length-target.ts';

const score = (completion: string, params = {}, completionTokens?: number) =>
  createCriterion('length_target', params)({ prompt: 'p', completion, answer: 'a', completionTokens });

describe('length_target', () => {
  it('lengthScore: 1 at the target; linear to 0 at +-width; Gaussian with std width', () => {
    expect(lengthScore(10, 10, 5, 'linear')).toBe(1);
    expect(lengthScore(12, 10, 5, 'linear')).toBeCloseTo(0.6, 12);
    expect(lengthScore(7, 10, 5, 'linear')).toBeCloseTo(0.4, 12);
    expect(lengthScore(15, 10, 5, 'linear')).toBe(0);
    expect(lengthScore(100, 10, 5, 'linear')).toBe(0);
    expect(lengthScore(10, 10, 5, 'gaussian')).toBe(1);
    expect(lengthScore(15, 10, 5, 'gaussian')).toBeCloseTo(Math.exp(-0.5), 12);
  });

  it('counts words, characters (code points) or tokens', () => {
    expect(score('one two  three\nfour', { target: 4, width: 2 })).toBe(1);
    expect(score('one two three', { target: 4, width: 2 })).toBeCloseTo(0.5, 12);
    expect(score('héllo🙂', { unit: 'chars', target: 6, width: 3 })).toBe(1);
    expect(score('x', { unit: 'tokens', target: 16, width: 8 }, 12)).toBeCloseTo(0.5, 12);
    expect(() => score('x', { unit: 'tokens' })).toThrow(/completionTokens/);
    expect(score('', { target: 0, width: 1 })).toBe(1);
  });

  it('a field: its words only; a missing field scores 0', () => {
    expect(score('<think>a b c</think><answer>one two</answer>', { field: 'answer', target: 2, width: 1 })).toBe(1);
    expect(score('no tags', { field: 'answer', target: 2 })).toBe(0);
    expect(() => createCriterion('length_target', { unit: 'tokens', field: 'answer' })).toThrow(/leave 'field' empty/);
    expect(() => createCriterion('length_target', { width: 0 })).toThrow(/width' must be >=/);
  });

  it('huge input stays fast', () => {
    const t0 = performance.now();
    expect(score('word '.repeat(500_000), { target: 50 })).toBe(0);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
