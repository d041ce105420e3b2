import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { Rubric } from '../rubric.ts';
import type { CriterionParams } from '../types.ts';

/** Score completions with one regex criterion: a score or the error message per completion. */
async function run(params: CriterionParams, completions: string[]) {
  const rubric = new Rubric([{ name: 're', kind: 'regex', weight: 1, params: { timeLimitMs: 1000, ...params } }]);
  const scored = await rubric.scoreEach(completions.map((completion) => ({ prompt: 'p', completion, answer: 'a' })));
  return scored.map((s) => (s.errors.re ? s.errorMessages.re : s.scores.re));
}

describe('regex', () => {
  it('matches anywhere unless anchored; flags; fields', async () => {
    expect(await run({ pattern: '\\d+' }, ['abc 12', 'abc'])).toEqual([1, 0]);
    expect(await run({ pattern: '^\\d+$' }, ['12', 'x12'])).toEqual([1, 0]);
    expect(await run({ pattern: '^answer:', flags: 'im' }, ['First line\nAnswer: 3', 'no'])).toEqual([1, 0]);
    expect(await run({ pattern: 'a.b', flags: 's' }, ['a\nb'])).toEqual([1]);
    expect(await run({ pattern: '^\\p{L}+$', flags: 'u' }, ['Ünïcödé', 'abc1'])).toEqual([1, 0]);
    expect(await run({ pattern: '^\\d+$', field: 'answer' }, ['<answer>42</answer>', '<answer>4 2</answer>', '42'])).toEqual([1, 0, 0]);
    expect(await createCriterion('regex', { pattern: 'ok', timeLimitMs: 1000 })({ prompt: '', completion: 'is ok', answer: '' })).toBe(1);
  });

  it('catastrophic backtracking is stopped at the time limit; other completions still score', async () => {
    const t0 = performance.now();
    const evil = 'a'.repeat(35) + '!';
    expect(await run({ pattern: '^(a+)+$', timeLimitMs: 30 }, [evil, 'aaaa', evil])).toEqual([
      'regex exceeded the time limit (30 ms): the pattern backtracks too much on this text',
      1,
      'regex exceeded the time limit (30 ms): the pattern backtracks too much on this text',
    ]);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('guards: pattern syntax and length, flags, huge input cut, nested tags', async () => {
    expect(() => createCriterion('regex', { pattern: '(' })).toThrow(/^regex: invalid pattern/);
    expect(() => createCriterion('regex', {})).toThrow("regex: param 'pattern' must not be empty");
    expect(() => createCriterion('regex', { pattern: 'a', flags: 'g' })).toThrow(/flags' must be distinct letters of "imsu"/);
    expect(() => createCriterion('regex', { pattern: 'a', flags: 'ii' })).toThrow(/flags' must be distinct/);
    const huge = 'x'.repeat(150_000) + 'needle';
    expect(await run({ pattern: 'needle' }, [huge, 'x'.repeat(50_000) + 'needle'])).toEqual([0, 1]); // cut at 100,000
    expect(await run({ pattern: '^<b>.*</b>$', field: 'answer' }, ['<answer><b><answer>x</answer></b></answer>'])).toEqual([0]);
  });
});
