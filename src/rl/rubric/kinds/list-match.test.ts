import { describe, expect, it } from 'vitest';
import { listMatch, splitList } from './list-match.ts';

describe('list_match criterion', () => {
  it('splitList: commas and/or spaces, trailing period, integers by value, case folded', () => {
    expect(splitList('1, 5, 12')).toEqual(['1', '5', '12']);
    expect(splitList('1,5,12')).toEqual(['1', '5', '12']);
    expect(splitList(' 1 5  12. ')).toEqual(['1', '5', '12']);
    expect(splitList('07, -0, 3')).toEqual(['7', '0', '3']);
    expect(splitList('Cat, dog')).toEqual(['cat', 'dog']);
    expect(splitList('Cat, dog', true)).toEqual(['Cat', 'dog']);
    expect(splitList('1,,2')).toEqual(['1', '', '2']);
    expect(splitList('')).toEqual([]);
  });

  it('1 iff the same items in the same order', () => {
    const fn = listMatch.create({ field: 'answer', caseSensitive: false });
    const score = (completion: string, answer = '1, 5, 12') => fn({ prompt: '12, 1, 5', completion, answer });
    expect(score('<answer>1, 5, 12</answer>')).toBe(1);
    expect(score('<answer>1,5,12</answer>')).toBe(1);
    expect(score('<answer>1 5 12</answer>')).toBe(1);
    expect(score('<answer>1, 12, 5</answer>')).toBe(0);
    expect(score('<answer>1, 5</answer>')).toBe(0);
    expect(score('<answer>1, 5, 12, 12</answer>')).toBe(0);
    expect(score('<answer>1,,5,12</answer>')).toBe(0);
    expect(score('1, 5, 12')).toBe(0);
    expect(score('<answer>Ant, bee</answer>', 'ant, bee')).toBe(1);
    expect(listMatch.create({ field: 'answer', caseSensitive: true })({ prompt: '', completion: '<answer>Ant</answer>', answer: 'ant' })).toBe(0);
  });
});
