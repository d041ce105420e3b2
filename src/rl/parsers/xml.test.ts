import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/rng.ts';
import { XMLParser } from './xml.ts';

const answerOnly = new XMLParser(['answer']);
const thinkAnswer = new XMLParser(['think', 'answer']);

describe('XMLParser.parse', () => {
  it('extracts trimmed field contents', () => {
    expect(thinkAnswer.parse('<think> 3 plus 5 </think>\n<answer>\n8\n</answer>')).toEqual({ think: '3 plus 5', answer: '8' });
  });

  it('takes the last occurrence', () => {
    expect(answerOnly.parse('<answer>3</answer> no wait <answer>5</answer>').answer).toBe('5');
  });

  it('reads an unclosed last tag to the end of the text', () => {
    expect(answerOnly.parse('<answer>1</answer><answer>  12  ').answer).toBe('12');
  });

  it('gives undefined for missing fields and "" for empty ones', () => {
    expect(thinkAnswer.parse('<answer></answer>')).toEqual({ think: undefined, answer: '' });
    expect(answerOnly.parse('8').answer).toBeUndefined();
  });

  it('nested tags: the innermost (last) opening wins', () => {
    expect(answerOnly.parse('<answer><answer>1</answer></answer>').answer).toBe('1');
  });

  it('refuses bad field names', () => {
    expect(() => new XMLParser([])).toThrow();
    expect(() => new XMLParser(['a b'])).toThrow(/invalid/);
    expect(() => new XMLParser(['<x>'])).toThrow(/invalid/);
    expect(() => new XMLParser(['a', 'a'])).toThrow(/duplicate/);
  });
});

describe('XMLParser.formatScore', () => {
  // One field: 4 points = opening + closing + order + clean.
  it('perfect format scores 1, whitespace around it allowed', () => {
    expect(answerOnly.formatScore('<answer>8</answer>')).toBe(1);
    expect(answerOnly.formatScore('  \n<answer>8</answer>\n')).toBe(1);
    expect(thinkAnswer.formatScore('<think>hm</think>\n<answer>8</answer>')).toBe(1);
  });

  it('garbage scores 0', () => {
    expect(answerOnly.formatScore('8')).toBe(0);
    expect(answerOnly.formatScore('')).toBe(0);
    expect(answerOnly.formatScore('</answer> <answr>')).toBe(0); // a closing tag before any opening earns nothing
  });

  it('partial credit', () => {
    // opening only: 1/4
    expect(answerOnly.formatScore('<answer>8')).toBe(0.25);
    // text outside the block: opening + closing + order = 3/4
    expect(answerOnly.formatScore('The answer is <answer>8</answer>')).toBe(0.75);
    // repeated block: opening 0.5 + closing 0.5 + order 1 + clean 0 (the second block is outside the first) = 2/4
    expect(answerOnly.formatScore('<answer>8</answer><answer>9</answer>')).toBe(0.5);
    // two fields in the wrong order: 4 tags + order 2/3 (each closes, but think is not before answer), unclean
    const d = thinkAnswer.formatDetails('<answer>8</answer><think>hm</think>');
    expect(d).toMatchObject({ opening: 1, closing: 1, clean: 0 });
    expect(d.order).toBeCloseTo(2 / 3, 12);
    expect(d.score).toBeCloseTo((2 + 2 + 2 / 3) / 6, 12);
    // missing think entirely: answer's 2 tags + order 1/3 (answer closes) + clean 0, over 6
    expect(thinkAnswer.formatScore('<answer>8</answer>')).toBeCloseTo((2 + 1 / 3) / 6, 12);
  });

  it('stays in [0, 1] on random tag soup', () => {
    const pieces = ['<answer>', '</answer>', '<think>', '</think>', '<', '>', '/', 'answer', ' ', '\n', '8', '<answer', 'x'];
    const rng = new Rng(7, 1);
    for (let k = 0; k < 2000; k++) {
      let text = '';
      const n = rng.int(12);
      for (let j = 0; j < n; j++) text += pieces[rng.int(pieces.length)];
      const s = thinkAnswer.formatScore(text);
      expect(s >= 0 && s <= 1, JSON.stringify(text)).toBe(true);
      thinkAnswer.parse(text);
    }
  });

  it('adversarial text (huge, deeply nested, unclosed) is handled in linear time', () => {
    const inputs = [
      '<answer>'.repeat(200_000),
      '<answer>'.repeat(100_000) + '</answer>'.repeat(100_000),
      '<answer'.repeat(200_000) + '>',
      '<'.repeat(1_000_000),
      'x'.repeat(1_000_000) + '<answer>8</answer>',
      '<think>' + ' '.repeat(1_000_000) + '</think><answer>' + '9'.repeat(1_000_000),
    ];
    const t0 = performance.now();
    for (const text of inputs) {
      const s = thinkAnswer.formatScore(text);
      expect(s >= 0 && s <= 1).toBe(true);
      thinkAnswer.parse(text);
    }
    expect(answerOnly.parse('<answer>'.repeat(200_000)).answer).toBe('');
    expect(answerOnly.formatScore('<answer>'.repeat(200_000))).toBe(0.125); // opening repeated: 0.5 of 4
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
