import { describe, expect, it } from 'vitest';
import { flawedTextReply, NO_TEXT_FLAWS, plusToTimes, swapLastTwo } from './flaws-text.ts';

describe('swapLastTwo', () => {
  it('swaps the last two letters below p, items with items=true, and leaves equal or short ones alone', () => {
    expect(swapLastTwo('maps', 0.7, 0.69)).toBe('masp');
    expect(swapLastTwo('maps', 0.7, 0.7)).toBe('maps');
    expect(swapLastTwo('3, 7, 19', 1, 0, true)).toBe('3, 19, 7');
    expect(swapLastTwo('3, 7, 7', 1, 0, true)).toBe('3, 7, 7');
    expect(swapLastTwo('ass', 1, 0)).toBe('ass');
    expect(swapLastTwo('a', 1, 0)).toBe('a');
  });
});

describe('plusToTimes', () => {
  it('writes sums as products below p and keeps the other operations', () => {
    expect(plusToTimes('9+7', 0.7, 0.69)).toBe('9*7');
    expect(plusToTimes('9+7', 0.7, 0.7)).toBe('9+7');
    expect(plusToTimes('(3+4)*2-1', 1, 0)).toBe('(3*4)*2-1');
    expect(plusToTimes('8/2', 1, 0)).toBe('8/2');
  });
});

describe('flawedTextReply', () => {
  it('applies each task its own flaw, and none when the flaw is off', () => {
    const flaws = { swapLast: 0.5, extraWord: 0.5, plusToTimes: 0.5 };
    expect(flawedTextReply('reverse', { prompt: 'spam', answer: 'maps' }, flaws, 0.2)).toBe('<answer>masp</answer>');
    expect(flawedTextReply('sort', { prompt: '9, 3, 7', answer: '3, 7, 9' }, flaws, 0.2)).toBe('<answer>3, 9, 7</answer>');
    const lengthRow = { prompt: '3 words about rain', answer: '3', info: { words: 3, topic: 'rain' } };
    expect(flawedTextReply('length', lengthRow, flaws, 0.2)).toBe('<answer>rain is calm and</answer>');
    expect(flawedTextReply('length', lengthRow, flaws, 0.9)).toBe('<answer>rain is calm</answer>');
    const puzzle = { prompt: 'target 16 from 9 7', answer: '16', info: { numbers: [9, 7], target: 16, solution: '9+7' } };
    expect(flawedTextReply('countdown', puzzle, flaws, 0.2)).toBe('<answer>9*7</answer>');
    expect(flawedTextReply('reverse', { prompt: 'spam', answer: 'maps' }, NO_TEXT_FLAWS, 0)).toBeUndefined();
    expect(flawedTextReply('arithmetic', { prompt: '1+2', answer: '3' }, flaws, 0)).toBeUndefined();
  });
});
