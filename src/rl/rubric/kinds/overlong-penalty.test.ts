import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { overlongPenalty } from './overlong-penalty.ts';

const score = (completionTokens: number | undefined, params = {}, maxNewTokens?: number) =>
  createCriterion('overlong_penalty', params)({ prompt: 'p', completion: 'c', answer: 'a', completionTokens, maxNewTokens });

describe('overlong_penalty (DAPO eq. 13)', () => {
  it('0 up to L_max - L_cache, linear to -1 at L_max, -1 beyond', () => {
    // DAPO's own numbers: L_max 20480, L_cache 4096
    expect(overlongPenalty(16384, 20480, 4096)).toBe(0);
    expect(overlongPenalty(18432, 20480, 4096)).toBe(-0.5);
    expect(overlongPenalty(20480, 20480, 4096)).toBe(-1);
    expect(overlongPenalty(20481, 20480, 4096)).toBe(-1);
    expect(overlongPenalty(0, 20480, 4096)).toBe(0);
  });

  it('explicit params, or the sampling limit with cache = L_max / 5', () => {
    expect(score(90, { maxLength: 100, cache: 20 })).toBeCloseTo(-0.5, 12);
    expect(score(14, {}, 16)).toBeCloseTo(-1 / 3, 12); // L_max 16, L_cache round(3.2) = 3: (13 - 14) / 3
    expect(score(16, {}, 16)).toBe(-1);
    expect(score(13, {}, 16)).toBe(0);
    expect(score(5, { maxLength: 4 })).toBe(-1);
  });

  it('needs the token count and a limit; cache <= maxLength', () => {
    expect(() => score(undefined, { maxLength: 10 })).toThrow(/completionTokens/);
    expect(() => score(5, {})).toThrow(/needs maxLength/);
    expect(() => createCriterion('overlong_penalty', { maxLength: 10, cache: 11 })).toThrow(/cache' must be <= maxLength/);
  });
});
