import { describe, expect, it } from 'vitest';
import type { TokenView } from '../../worker/protocol.ts';
import {
  advantageSign,
  formatSigned,
  isFlatGroup,
  isSpecialToken,
  logprobColor,
  splitSegments,
  surprise,
  tokenBackground,
  tokenKind,
  tokenTitle,
  visibleText,
  ADVANTAGE_COLORS,
} from './token-style.ts';

const tok = (text: string, logprob: number | null, generated = true, trained = generated): TokenView => ({ text, logprob, generated, trained });

const lightness = (css: string) => Number(/(\d+(?:\.\d+)?)%\)$/.exec(css)![1]);

describe('log-probability scale', () => {
  it('is sequential: less likely tokens are darker, clamped at the floor', () => {
    expect(surprise(0)).toBe(0);
    expect(surprise(-3)).toBeCloseTo(0.5, 12);
    expect(surprise(-60)).toBe(1);
    expect(surprise(Number.NEGATIVE_INFINITY)).toBe(1);
    const ls = [0, -0.5, -2, -4, -6].map((lp) => lightness(logprobColor(lp)));
    for (let i = 1; i < ls.length; i++) expect(ls[i]).toBeLessThan(ls[i - 1]);
    expect(lightness(logprobColor(-100))).toBe(lightness(logprobColor(-6)));
    expect(Math.min(...ls)).toBeGreaterThanOrEqual(64); // dark text stays readable
  });
});

describe('advantage colouring', () => {
  it('colours by sign, with a flat group as zero', () => {
    expect(advantageSign(0.7)).toBe('positive');
    expect(advantageSign(-0.2)).toBe('negative');
    expect(advantageSign(1e-12)).toBe('zero');
    expect(tokenBackground(tok('a', -1), 'advantage', 1.5)).toBe(ADVANTAGE_COLORS.positive);
    expect(tokenBackground(tok('a', -1), 'advantage', -1.5)).toBe(ADVANTAGE_COLORS.negative);
    expect(tokenBackground(tok('a', -1), 'logprob', -1.5)).toBe(logprobColor(-1));
  });

  it('never colours context tokens', () => {
    expect(tokenBackground(tok('<|im_start|>', null, false), 'logprob', 1)).toBeUndefined();
    expect(tokenBackground(tok('x', null, false), 'advantage', 1)).toBeUndefined();
  });

  it('treats a group std that is zero up to float noise as flat', () => {
    expect(isFlatGroup(3.4e-17)).toBe(true);
    expect(isFlatGroup(0)).toBe(true);
    expect(isFlatGroup(0.01)).toBe(false);
  });

  it('formats advantages with their sign', () => {
    expect(formatSigned(1.234)).toBe('+1.23');
    expect(formatSigned(-0.5)).toBe('−0.50');
    expect(formatSigned(0)).toBe('0.00');
  });
});

describe('token kinds and labels', () => {
  it('tells trained, masked and context tokens apart', () => {
    expect(tokenKind(tok('a', -1))).toBe('trained');
    expect(tokenKind(tok('a', -1, true, false))).toBe('masked');
    expect(tokenKind(tok('a', null, false))).toBe('context');
    expect(tokenTitle(tok('a', Math.log(0.5)))).toBe('logprob -0.693 · p 0.500');
    expect(tokenTitle(tok('a', -1, true, false))).toContain('masked');
    expect(tokenTitle(tok('a', null, false))).toContain('context');
  });

  it('recognises special tokens but not ordinary angle-bracket text', () => {
    for (const t of ['<|im_end|>', '<|endoftext|>', '</s>', '<eos>', '[PAD]']) expect(isSpecialToken(t)).toBe(true);
    for (const t of ['<answer>', '</answer>', '<', 'a|b', '<|im_end|> x']) expect(isSpecialToken(t)).toBe(false);
  });

  it('makes line breaks and tabs visible', () => {
    expect(visibleText('a\nb\t')).toBe('a↵\nb→\t');
  });

  it('splits a multi-turn token stream into assistant and environment segments', () => {
    const segs = splitSegments([tok('a', -1), tok('b', -1), tok('R', null, false), tok('c', -1)]);
    expect(segs.map((s) => [s.generated, s.tokens.map((t) => t.text).join('')])).toEqual([
      [true, 'ab'],
      [false, 'R'],
      [true, 'c'],
    ]);
    expect(splitSegments([])).toEqual([]);
  });
});
