import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { lcsLength, lcsRatio, MAX_UNITS } from './similarity.ts';

const chars = (s: string) => Array.from(s);
const score = (completion: string, answer: string, params = {}) =>
  createCriterion('similarity', params)({ prompt: 'p', completion, answer });

describe('similarity', () => {
  it('LCS by hand', () => {
    expect(lcsLength(chars('ABCBDAB'), chars('BDCABA'))).toBe(4); // CLRS: BCBA
    expect(lcsLength(chars('abc'), chars(''))).toBe(0);
    expect(lcsLength(chars('abc'), chars('abc'))).toBe(3);
    expect(lcsRatio(chars('kitten'), chars('sitting'))).toBeCloseTo((2 * 4) / 13, 12); // ittn
    expect(lcsRatio([], [])).toBe(1);
    expect(lcsRatio(chars('abc'), chars('xyz'))).toBe(0);
  });

  it('compares the <answer> field with the reference, by characters or words', () => {
    expect(score('<answer>olleh</answer>', 'olleh')).toBe(1);
    expect(score('<answer>olleh</answer>', 'hello')).toBeCloseTo((2 * 2) / 10, 12); // "ll" / "le"... LCS 2
    expect(score('<answer>the cat sat</answer>', 'the cat sat down', { unit: 'words' })).toBeCloseTo(6 / 7, 12);
    expect(score('<answer>HELLO</answer>', 'hello')).toBe(0);
    expect(score('<answer>HELLO</answer>', 'hello', { caseSensitive: false })).toBe(1);
    expect(score('no tags', 'hello')).toBe(0);
    expect(score('hello', 'hello', { field: '' })).toBe(1);
  });

  it('code points, not UTF-16 halves; long inputs are cut to MAX_UNITS and stay fast', () => {
    expect(score('<answer>🙂a</answer>', '🙂b')).toBeCloseTo(0.5, 12);
    const t0 = performance.now();
    const long = 'ab'.repeat(100_000);
    expect(score(`<answer>${long}</answer>`, long)).toBe(1);
    expect(score(`<answer>${'a'.repeat(MAX_UNITS * 10)}</answer>`, 'b'.repeat(MAX_UNITS * 10))).toBe(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
