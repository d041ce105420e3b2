import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { hasPath, stripFence } from './json-valid.ts';

const score = (completion: string, params = {}) => createCriterion('json_valid', params)({ prompt: 'p', completion, answer: '' });

describe('json_valid', () => {
  it('0 for invalid JSON, 1 for valid JSON without required keys', () => {
    expect(score('{"a": 1}')).toBe(1);
    expect(score('[1, 2]')).toBe(1);
    expect(score('"text"')).toBe(1);
    expect(score("{'a': 1}")).toBe(0);
    expect(score('{"a": 1,}')).toBe(0);
    expect(score('')).toBe(0);
    expect(score('Here it is: {"a": 1}')).toBe(0);
  });

  it('(1 + keys present) / (1 + keys required), with dotted paths', () => {
    const params = { requiredKeys: 'name, address.city' };
    expect(score('{"name": "x", "address": {"city": "y"}}', params)).toBe(1);
    expect(score('{"name": "x", "address": {}}', params)).toBeCloseTo(2 / 3, 12);
    expect(score('{"address": {"city": null}}', params)).toBeCloseTo(2 / 3, 12);
    expect(score('[{"name": "x"}]', params)).toBeCloseTo(1 / 3, 12);
    expect(score('{"name": "x", "address": "city"}', params)).toBeCloseTo(2 / 3, 12);
    expect(hasPath({ a: [{ b: 1 }] }, 'a.0.b')).toBe(false); // arrays are not walked
    expect(() => createCriterion('json_valid', { requiredKeys: 'a..b' })).toThrow(/invalid key path 'a..b'/);
  });

  it('fences and fields', () => {
    expect(stripFence('```json\n{"a": 1}\n```')).toBe('{"a": 1}');
    expect(stripFence('```\n[1]\n```')).toBe('[1]');
    expect(stripFence('```python\nx = 1\n```')).toBe('```python\nx = 1\n```');
    expect(score('```json\n{"a": 1}\n```', { requiredKeys: 'a' })).toBe(1);
    expect(score('```json\n{"a": 1}\n```', { allowFence: false })).toBe(0);
    expect(score('<answer>{"a": 1}</answer>', { field: 'answer', requiredKeys: 'a' })).toBe(1);
    expect(score('{"a": 1}', { field: 'answer' })).toBe(0);
  });

  it('untrusted input: __proto__ keys pollute nothing, deep nesting and huge text do not crash', () => {
    expect(score('{"__proto__": {"polluted": 1}, "constructor": 2}', { requiredKeys: '__proto__.polluted, constructor' })).toBe(1);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(score('{"a": 1}', { requiredKeys: 'toString, hasOwnProperty' })).toBeCloseTo(1 / 3, 12); // inherited keys do not count
    const t0 = performance.now();
    expect(score('['.repeat(200_000) + ']'.repeat(200_000))).toBeGreaterThanOrEqual(0);
    expect(score('['.repeat(200_000))).toBe(0);
    expect(score(`{"a": "${'x'.repeat(1_000_000)}"}`, { requiredKeys: 'a' })).toBe(1);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
