import { describe, expect, it } from 'vitest';
import { checkCustomCode, DEFAULT_SANDBOX_LIMITS, FROZEN_NOW, runCustomCode as runWithLimits, runRegexTests, type CodeCall } from './sandbox.ts';

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

describe('runCustomCode: the clock and error messages', () => {
  it('the clock is frozen, like Math.random is seeded: a score depends only on its inputs', async () => {
    const code = `const d = new Date();
      return [Date.now() === ${FROZEN_NOW}, d.getTime() === ${FROZEN_NOW}, d instanceof Date, new Date(0).getTime() === 0,
        typeof Date() === 'string', new Date(2020, 1, 3).getFullYear() === 2020, Date.UTC(2000, 0) === ${Date.UTC(2000, 0)}].every(Boolean) ? 1 : 0`;
    expect(await runCustomCode(code, [call('a'), call('b')])).toEqual([1, 1]);
    const [a, b] = await runCustomCode('let t = Date.now(); for (let i = 0; i < 1e5; i++); return Date.now() - t + performance', [call('x'), call('y')]);
    expect(messageOf(a)).toMatch(/ReferenceError: 'performance' is not defined/);
    expect(b).toBe(a);
  });

  it('every guest error reads as one meaningful line', async () => {
    const thrown = [
      ["''", 'threw an empty string'],
      ["'  \\n '", 'threw a blank string'],
      ['{}', 'threw a non-Error object'],
      ['{ a: 1 }', 'threw a non-Error object: {"a":1}'],
      ['null', 'threw null'],
      ['undefined', 'threw undefined'],
      ['42', 'threw 42'],
      ["new Error('')", /^threw Error \(no message\) \(line 9\)$/],
      ["new Error('a\\nb\\r\\nc\\u0000d')", /^threw Error: a b c d \(line 10\)$/],
      ["new TypeError('x'.repeat(5000))", /^threw TypeError: x{200,}…$/],
      ["Object.assign(new Error('m'), { name: '' })", /^threw Error: m \(line 12\)$/],
      ["{ name: 'Custom', message: 'multi\\nline' }", 'threw Custom: multi line'],
      ["{ toString() { throw 1 } }", 'threw a non-Error object'],
      ["'\\u0000'", /^threw (an empty|a blank) string$/], // QuickJS hands strings out NUL-terminated
    ] as const;
    const code = `switch (completion) {\n${thrown.map(([v], i) => `case '${i}': throw ${v};`).join('\n')}\n}`;
    const r = await runCustomCode(code, thrown.map((_, i) => call(String(i))));
    r.forEach((x, i) => {
      const m = messageOf(x);
      expect(m, thrown[i][0]).toMatch(thrown[i][1]);
      // eslint-disable-next-line no-control-regex
      expect(m).not.toMatch(/[\u0000-\u001f]/);
      expect(m.length).toBeLessThanOrEqual(301);
    });
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
