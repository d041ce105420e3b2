import { describe, expect, it } from 'vitest';
import { checkCustomCode, DEFAULT_SANDBOX_LIMITS, runCustomCode as runWithLimits, runRegexTests, type CodeCall } from './sandbox.ts';

/** Generous time limit where a test is not about time (test machines can be busy). */
const runCustomCode = (code: string, calls: CodeCall[]) => runWithLimits(code, calls, { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: 2000 });

const call = (completion: string, answer = '8', extra: Partial<CodeCall> = {}): CodeCall => ({
  prompt: '3+5',
  completion,
  answer,
  messages: [{ role: 'user', content: '3+5' }, { role: 'assistant', content: completion }],
  state: { turns: 1 },
  ...extra,
});

const messageOf = (r: number | boolean | Error) => (r instanceof Error ? r.message : `value ${String(r)}`);

describe('runCustomCode', () => {
  it('accepts a function body, an arrow function and a function expression', async () => {
    const calls = [call('the answer is 8'), call('no idea')];
    expect(await runCustomCode('return completion.includes(answer) ? 1 : 0', calls)).toEqual([1, 0]);
    expect(await runCustomCode('(prompt, completion, answer) => completion.length', calls)).toEqual([15, 7]);
    expect(await runCustomCode('function score(p, c, a, messages, state) { return messages.length * 10 + state.turns }', calls)).toEqual([21, 21]);
    expect(await runCustomCode('// a comment\nreturn prompt === "3+5" ? 0.5 : 0 // trailing comment', calls)).toEqual([0.5, 0.5]);
  });

  it('passes unicode and huge strings through unchanged', async () => {
    const big = 'é🙂'.repeat(200_000);
    const r = await runCustomCode('return completion.length + answer.length', [call(big, 'ü∑'), call('')]);
    expect(r).toEqual([big.length + 2, 1]);
  });

  it('gives clear messages: syntax error once for the batch, runtime errors with line numbers, non-numbers', async () => {
    const [a, b] = await runCustomCode('let x = ;\nreturn 1', [call('x'), call('y')]);
    expect(messageOf(a)).toMatch(/^does not compile: SyntaxError: .* \(line 1\)$/);
    expect(b).toBe(a);
    expect(messageOf((await runCustomCode('let x;\nreturn x.y', [call('x')]))[0])).toMatch(/^threw TypeError: .*\(line 2\)$/);
    expect(messageOf((await runCustomCode('throw new Error("nope")', [call('x')]))[0])).toBe('threw Error: nope (line 1)');
    expect(messageOf((await runCustomCode('throw "plain"', [call('x')]))[0])).toBe('threw plain');
    expect(messageOf((await runCustomCode('return "1"', [call('x')]))[0])).toBe('returned string, not a number');
    expect(messageOf((await runCustomCode('return null', [call('x')]))[0])).toBe('returned null, not a number');
    expect(messageOf((await runCustomCode('completion.length', [call('x')]))[0])).toMatch(/returned undefined, not a number \(missing `return`\?\)/);
    expect(messageOf((await runCustomCode('async () => 1', [call('x')]))[0])).toBe('returned object, not a number');
    expect(await checkCustomCode('return (')).toMatch(/^does not compile: SyntaxError/);
    expect(await checkCustomCode('return 1')).toBeNull();
  });
});

describe('runRegexTests', () => {
  it('matches, and stops catastrophic backtracking at the time limit', async () => {
    expect(await runRegexTests('^\\d+$', '', ['123', '12a', ''])).toEqual([true, false, false]);
    const t0 = performance.now();
    const r = await runRegexTests('^(a+)+$', '', ['a'.repeat(40) + 'b', 'aaa', 'a'.repeat(40) + 'b'], { timeLimitMs: 30, memoryLimitBytes: 16 << 20, maxStackBytes: 256 << 10 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(messageOf(r[0])).toMatch(/exceeded the time limit \(30 ms\): the pattern backtracks/);
    expect(r[1]).toBe(true);
    expect(r[2]).toBeInstanceOf(Error);
  });
});
