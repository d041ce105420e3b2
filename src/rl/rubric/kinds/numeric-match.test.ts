import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { parseNumber } from './numeric-match.ts';

const score = (completion: string, answer: string, params = {}) =>
  createCriterion('numeric_match', params)({ prompt: 'q', completion, answer });

describe('numeric_match', () => {
  it('parseNumber reads plain, signed, thousands, exponent, fraction, $ and %; loose finds the first number', () => {
    expect(parseNumber('42')).toBe(42);
    expect(parseNumber(' -3.50 ')).toBe(-3.5);
    expect(parseNumber('1,234.5')).toBe(1234.5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('3/4')).toBe(0.75);
    expect(parseNumber('1/0')).toBeUndefined();
    expect(parseNumber('$12')).toBe(12);
    expect(parseNumber('50%')).toBe(50);
    expect(parseNumber('8.')).toBe(8);
    expect(parseNumber('8 apples')).toBeUndefined();
    expect(parseNumber('8 apples', true)).toBe(8);
    expect(parseNumber('1,23')).toBeUndefined();
    expect(parseNumber('1e999')).toBeUndefined();
    expect(parseNumber('٣')).toBeUndefined(); // other scripts' digits are not read
  });

  it('exact by default (with float rounding absorbed), within absTol or relTol otherwise', () => {
    expect(score('<answer>8</answer>', '8')).toBe(1);
    expect(score('<answer>8.0</answer>', '8')).toBe(1);
    expect(score('<answer>0.30000000000000004</answer>', '0.3')).toBe(1);
    expect(score('<answer>8.1</answer>', '8')).toBe(0);
    expect(score('<answer>8.1</answer>', '8', { absTol: 0.1 })).toBe(1);
    expect(score('<answer>8.2</answer>', '8', { absTol: 0.1 })).toBe(0);
    expect(score('<answer>105</answer>', '100', { relTol: 0.05 })).toBe(1);
    expect(score('<answer>-105</answer>', '-100', { relTol: 0.05 })).toBe(1);
    expect(score('<answer>106</answer>', '100', { relTol: 0.05 })).toBe(0);
  });

  it('reads the field (loosely), or the whole completion with field ""', () => {
    expect(score('<answer>about 8 apples</answer>', '8')).toBe(1);
    expect(score('8', '8')).toBe(0); // no <answer>
    expect(score('I think it is 8.', '8', { field: '' })).toBe(1);
    expect(score('<answer>eight</answer>', '8')).toBe(0);
  });

  it('a reference that is not a number is an error; huge or hostile text is handled in time', () => {
    expect(() => score('<answer>8</answer>', 'eight')).toThrow("reference answer 'eight' is not a number");
    const t0 = performance.now();
    expect(score(`<answer>${'9'.repeat(200_000)}x</answer>`, '8')).toBe(0);
    expect(score(`<answer>${'-.'.repeat(200_000)}</answer>`, '8')).toBe(0);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
