import { describe, expect, it } from 'vitest';
import { checkCountdown, countdown, countdownPuzzle } from './countdown.ts';

const fn = countdown.create({ field: 'answer' });
const prompt = 'target 82 from 3 7 25 50';
const score = (completion: string, ctx: { prompt?: string; answer?: string; info?: Record<string, unknown> } = {}) =>
  fn({ prompt: ctx.prompt ?? prompt, completion, answer: ctx.answer ?? '82', info: ctx.info });

describe('countdown criterion', () => {
  it('checkCountdown explains every outcome', () => {
    const nums = [3, 7, 25, 50];
    expect(checkCountdown('(50-25)*3+7', nums, 82)).toEqual({ ok: true });
    expect(checkCountdown('50+25+7', nums, 82)).toEqual({ ok: true }); // a subset is fine
    expect(checkCountdown('50+25+3', nums, 82)).toEqual({ ok: false, error: 'equals 78, not the target 82' });
    expect(checkCountdown('82', nums, 82)).toEqual({ ok: false, error: 'uses 82, which is not one of the numbers' });
    expect(checkCountdown('50+25+7-3+3', nums, 82)).toEqual({ ok: false, error: 'uses 3 more often than it is given' });
    expect(checkCountdown('(50+25)/0', nums, 82)).toEqual({ ok: false, error: 'division by zero' });
    expect(checkCountdown('25/3*7', nums, 82)).toEqual({ ok: false, error: '25/3 is not a whole number' });
    expect(checkCountdown('5*5', [5, 5], 25)).toEqual({ ok: true }); // a number given twice may be used twice
  });

  it('scores 1 only for a valid expression reaching the target inside <answer>', () => {
    expect(score('<answer>(50-25)*3+7</answer>')).toBe(1);
    expect(score('<answer> 7 + 3 * 25 </answer>')).toBe(1);
    expect(score('(50-25)*3+7')).toBe(0); // no tags
    expect(score('<answer>(50-25)*3+7=82</answer>')).toBe(0);
    expect(score('<answer>82</answer>')).toBe(0);
    expect(score('<answer>7*7+7*7-16</answer>')).toBe(0);
    expect(score('<answer>eval("82")</answer>')).toBe(0);
    expect(score(`<answer>${'('.repeat(10_000)}</answer>`)).toBe(0);
    expect(score(`<answer>${'7+'.repeat(100_000)}75</answer>`)).toBe(0);
  });

  it('numbers and target: info first, else the prompt line and the reference answer; a row without them throws', () => {
    expect(countdownPuzzle({ prompt, completion: '', answer: '82' })).toEqual({ numbers: [3, 7, 25, 50], target: 82 });
    expect(countdownPuzzle({ prompt: 'x', completion: '', answer: 'x', info: { numbers: [1, 2], target: 3 } })).toEqual({ numbers: [1, 2], target: 3 });
    expect(countdownPuzzle({ prompt: 'x', completion: '', answer: '3', info: { numbers: '1, 2' } })).toEqual({ numbers: [1, 2], target: 3 });
    expect(countdownPuzzle({ prompt: 'Numbers: 4,5\nmake 20', completion: '', answer: '20' })).toEqual({ numbers: [4, 5], target: 20 });
    expect(countdownPuzzle({ prompt: 'Make 20 from 4, 5\nplease', completion: '', answer: '20' })).toEqual({ numbers: [4, 5], target: 20 });
    expect(score('<answer>4*5</answer>', { prompt: 'x', answer: '20', info: { numbers: [4, 5] } })).toBe(1);
    expect(() => score('<answer>1</answer>', { prompt: 'no list here' })).toThrow(/the row has no numbers/);
    expect(() => score('<answer>1</answer>', { prompt: 'numbers: a b' })).toThrow(/the row has no numbers/);
    expect(() => score('<answer>1</answer>', { prompt: 'from here on' })).toThrow(/the row has no numbers/);
    expect(() => score('<answer>1</answer>', { answer: 'eighty' })).toThrow('countdown: the target must be an integer, got "eighty"');
  });

  it('other XML fields', () => {
    const f = countdown.create({ field: 'expr' });
    expect(f({ prompt, completion: '<expr>50+25+7</expr>', answer: '82' })).toBe(1);
  });
});
