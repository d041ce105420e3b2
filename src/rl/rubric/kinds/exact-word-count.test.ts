import { describe, expect, it } from 'vitest';
import { countWords, exactWordCount } from './exact-word-count.ts';

describe('exact_word_count criterion', () => {
  it('countWords: runs of non-space characters with a letter or digit', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords('the sea is calm')).toBe(4);
    expect(countWords('  the\tsea\n is  calm. ')).toBe(4);
    expect(countWords('well-known state-of-the-art ideas')).toBe(3);
    expect(countWords('waves - foam , sand')).toBe(3);
    expect(countWords('café über 42 naïve')).toBe(4);
    expect(countWords('... !!! ---')).toBe(0);
  });

  it('1 iff the <answer> has exactly the reference number of words', () => {
    const fn = exactWordCount.create({ field: 'answer' });
    const score = (completion: string, answer = '4') => fn({ prompt: '4 words about the sea', completion, answer });
    expect(score('<answer>waves crash on rocks</answer>')).toBe(1);
    expect(score('<answer>waves crash on rocks.</answer>')).toBe(1);
    expect(score('<answer>waves crash on</answer>')).toBe(0);
    expect(score('<answer>waves crash on rocks today</answer>')).toBe(0);
    expect(score('waves crash on rocks')).toBe(0); // no tags
    expect(score('<answer></answer>', '0')).toBe(1);
    expect(score('<answer>one</answer>', ' 1 ')).toBe(1);
    expect(() => score('<answer>x</answer>', 'four')).toThrow(/reference answer must be a word count/);
    const whole = exactWordCount.create({ field: '' });
    expect(whole({ prompt: '', completion: 'a b c', answer: '3' })).toBe(1);
  });
});
