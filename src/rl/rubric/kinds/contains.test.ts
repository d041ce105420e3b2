import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';

const score = (completion: string, params = {}, answer = 'Paris') =>
  createCriterion('contains', params)({ prompt: 'Capital of France?', completion, answer });

describe('contains', () => {
  it('looks for the reference answer by default, ignoring case', () => {
    expect(score('It is paris.')).toBe(1);
    expect(score('It is Lyon.')).toBe(0);
    expect(score('It is paris.', { caseSensitive: true })).toBe(0);
  });

  it('a fixed text, {prompt}, or a field', () => {
    expect(score('As an AI model, ...', { text: 'as an ai' })).toBe(1);
    expect(score('Q: Capital of France? A: Paris', { text: '{prompt}' })).toBe(1);
    expect(score('Paris <answer>Lyon</answer>', { field: 'answer' })).toBe(0);
    expect(score('<answer>Paris</answer>', { field: 'answer' })).toBe(1);
    expect(score('no tags', { field: 'answer' })).toBe(0);
  });

  it('unicode, a literal {answer} in the completion, and an empty needle', () => {
    expect(score('Ответ: МОСКВА', {}, 'Москва')).toBe(1);
    expect(score('emoji 🙂 here', { text: '🙂' })).toBe(1);
    expect(score('{answer}', { text: 'x{answer}' }, '')).toBe(0);
    expect(() => score('anything', {}, '')).toThrow(/nothing to look for/);
    expect(() => createCriterion('contains', { text: '' })).toThrow("contains: param 'text' must not be empty");
  });
});
