// custom_code: the sandbox holds against escape attempts, each contained quickly while scoring goes on.
import { describe, expect, it } from 'vitest';
import { createCriterion } from '../criteria.ts';
import { Rubric } from '../rubric.ts';
import type { CriterionParams, ScoreContext } from '../types.ts';

const ctx = (completion: string, extra: Partial<ScoreContext> = {}): ScoreContext => ({ prompt: '3+5', completion, answer: '8', ...extra });

/**
 * Score a batch with custom code through the Rubric: per completion a score or an error message. The time
 * limit is generous unless a test is about it (test machines can be busy).
 */
async function run(code: string, completions: string[], params: CriterionParams = {}) {
  const rubric = new Rubric([{ name: 'code', kind: 'custom_code', weight: 1, params: { code, timeLimitMs: 1000, ...params } }]);
  const scored = await rubric.scoreEach(completions.map((c) => ctx(c)));
  return scored.map((s) => (s.errors.code ? s.errorMessages.code : s.scores.code));
}

describe('custom_code', () => {
  it('scores with the five arguments; messages default to the exchange, state to the row info', async () => {
    expect(await run('return completion.includes(answer) ? 1 : 0', ['it is 8', 'it is 9'])).toEqual([1, 0]);
    const fn = createCriterion('custom_code', {
      timeLimitMs: 1000,
      code: '(prompt, completion, answer, messages, state) => messages.length * 100 + messages[1].content.length * 10 + state.k',
    });
    expect(await fn(ctx('abc', { info: { k: 7 } }))).toBe(237);
    const turns = [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'a' }, { role: 'tool', content: 'b' }, { role: 'assistant', content: 'cd' }];
    expect(await fn(ctx('cd', { messages: turns, state: { k: 1 } }))).toBe(400 + 10 + 1);
  });

  it('no network, modules, host objects or storage inside the sandbox', async () => {
    const probes = ['fetch', 'XMLHttpRequest', 'WebSocket', 'require', 'process', 'module', 'Deno', 'Bun', 'WebAssembly', 'setTimeout',
      'localStorage', 'indexedDB', 'document', 'window', 'self', 'postMessage', 'importScripts', 'navigator', 'console', 'std', 'os'];
    const code = `return [${probes.map((p) => `typeof ${p}`).join(', ')}].every((t) => t === 'undefined') ? 1 : 0`;
    expect(await run(code, ['x'])).toEqual([1]);
    expect(await run('return fetch("http://127.0.0.1:1/")', ['x'])).toEqual(["custom code threw ReferenceError: 'fetch' is not defined (line 1)"]);
    expect(await run('return require("fs").readFileSync("/etc/passwd").length', ['x'])).toEqual(["custom code threw ReferenceError: 'require' is not defined (line 1)"]);
    expect(await run('import fs from "node:fs"; return 1', ['x'])).toEqual([expect.stringMatching(/^custom code does not compile: SyntaxError/)]);
    // dynamic import: there is no module loader and pending jobs never run, so nothing is ever loaded
    expect(await run('import("node:fs").then(() => { throw new Error("loaded") }); return 1', ['x'])).toEqual([1]);
    expect(await run('return typeof globalThis.constructor.constructor("return this")().fetch === "undefined" ? 1 : 0', ['x'])).toEqual([1]);
  });

  it('globalThis and built-in tampering does not leak from one completion to the next', async () => {
    const code = `
      if (globalThis.leak !== undefined || Object.prototype.polluted !== undefined || Math.max(1, 2) !== 2) return 99;
      if (JSON.stringify([1]) !== '[1]' || messages.length !== 2) return 98;
      globalThis.leak = 1;
      Object.prototype.polluted = 1;
      Math.max = () => -1;
      JSON.parse = () => ({ hijacked: true });
      JSON.stringify = () => 'x';
      Array.prototype.push = null;
      return 1`;
    expect(await run(code, ['a', 'b', 'c'])).toEqual([1, 1, 1]);
  });

  it('prototype pollution inside the sandbox does not reach the host', async () => {
    expect(await run('Object.prototype.polluted = "yes"; Object.prototype.toString = () => "pwned"; Array.prototype.map = null; return 1', ['x'])).toEqual([1]);
    const plain: Record<string, unknown> = {};
    expect(plain.polluted).toBeUndefined();
    expect(String(plain)).toBe('[object Object]');
    expect([1, 2].map((x) => x * 2)).toEqual([2, 4]);
  });

  it('an infinite loop is interrupted at the time limit; the next completion scores normally', async () => {
    const t0 = performance.now();
    const code = 'if (completion === "loop") { while (true) {} } return 1';
    const r = await run(code, ['loop', 'ok', 'loop', 'ok'], { timeLimitMs: 30 });
    expect(r).toEqual(['custom code exceeded the time limit (30 ms)', 1, 'custom code exceeded the time limit (30 ms)', 1]);
    // catching the interrupt does not help: it is uncatchable
    expect(await run('for (;;) { try { while (true) {} } catch (e) {} }', ['x'], { timeLimitMs: 30 })).toEqual(['custom code exceeded the time limit (30 ms)']);
    expect(performance.now() - t0).toBeLessThan(1500);
  });

  it('a huge allocation fails at the memory limit; deep recursion at the stack limit', async () => {
    const t0 = performance.now();
    expect(await run('return "x".repeat(2 ** 28).length', ['x'], { memoryLimitMb: 8 })).toEqual(['custom code exceeded the memory limit (8 MB)']);
    // many mid-sized blocks: QuickJS's own count misses them; the capped WebAssembly memory stops them
    expect(await run('const a = []; for (;;) a.push(new Array(10000).fill(a.length)); return 0', ['x', 'y'], { memoryLimitMb: 8, timeLimitMs: 1000 })).toEqual([
      'custom code exceeded the memory limit (8 MB)',
      'custom code exceeded the memory limit (8 MB)',
    ]);
    expect(await run('function f(n) { return f(n + 1) + 1 } return f(0)', ['x'])).toEqual([expect.stringMatching(/^custom code exceeded the stack limit/)]);
    expect(await run('return 2', ['after'])).toEqual([2]);
    expect(performance.now() - t0).toBeLessThan(8000); // includes starting a sandbox thread for the 8 MB limit
  });

  it('clear messages: syntax error, throw, non-number returns; NaN counts as an error', async () => {
    expect(await run('return completion.length +', ['a', 'b'])).toEqual([
      "custom code does not compile: SyntaxError: unexpected token in expression: '}' (at the end of the code)",
      "custom code does not compile: SyntaxError: unexpected token in expression: '}' (at the end of the code)",
    ]);
    expect(await run('\n\nthrow new RangeError("bad input")', ['x'])).toEqual(['custom code threw RangeError: bad input (line 3)']);
    expect(await run('return "0.5"', ['x'])).toEqual(['custom code returned string, not a number']);
    expect(await run('return { valueOf() { return 1 } }', ['x'])).toEqual(['custom code returned object, not a number']);
    expect(await run('return true', ['x'])).toEqual(['custom code returned boolean, not a number']);
    expect(await run('completion.length', ['x'])).toEqual(['custom code returned undefined, not a number (missing `return`?)']);
    expect(await run('return NaN', ['x'])).toEqual(['returned a non-finite score (NaN)']);
    await expect(new Rubric([{ name: 'style', kind: 'custom_code', weight: 1, params: { code: 'return (' } }]).prepare()).rejects.toThrow(
      /^criterion 'style': custom code does not compile: SyntaxError/,
    );
  });

  it('deterministic Math.random; fast enough for training batches', async () => {
    const [a, b] = await run('return Math.random()', ['x', 'y']);
    expect(a).toBe(b);
    const t0 = performance.now();
    const many = await run('return completion.length / 10', Array.from({ length: 256 }, (_, i) => 'x'.repeat(i % 10)));
    expect(many.slice(0, 3)).toEqual([0, 0.1, 0.2]);
    expect(performance.now() - t0).toBeLessThan(2000); // well under 1 ms per completion on a laptop
  });

  it('scoring goes on around a hostile criterion: other criteria score, errors are counted', async () => {
    const rubric = new Rubric([
      { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'hostile', kind: 'custom_code', weight: 1, params: { code: 'if (completion.includes("9")) { while (true) {} } return 0.5', timeLimitMs: 20 } },
    ]);
    const b = await rubric.scoreBatch([ctx('<answer>8</answer>'), ctx('<answer>9</answer>'), ctx('<answer>8</answer>')]);
    expect(b.scores).toEqual({ correct_answer: [1, 0, 1], hostile: [0.5, 0, 0.5] });
    expect(b.total).toEqual([1.5, 0, 1.5]);
    expect(b.errors).toEqual({ correct_answer: 0, hostile: 1 });
    expect(b.errorMessages.hostile).toBe('custom code exceeded the time limit (20 ms)');
  });

  it('a built-in looping in C (never interrupted by QuickJS) is stopped too: that completion scores 0, counted', async () => {
    const rubric = new Rubric([
      { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'hostile', kind: 'custom_code', weight: 1, params: { code: 'if (completion.includes("9")) return Array.prototype.indexOf.call({ length: 1e15 }, 1); return 0.5', timeLimitMs: 200 } },
    ]);
    const t0 = performance.now();
    const b = await rubric.scoreBatch([ctx('<answer>8</answer>'), ctx('<answer>9</answer>'), ctx('<answer>8</answer>')]);
    expect(performance.now() - t0).toBeLessThan(10_000); // never returned before the watchdog
    expect(b.scores).toEqual({ correct_answer: [1, 0, 1], hostile: [0.5, 0, 0.5] });
    expect(b.errors).toEqual({ correct_answer: 0, hostile: 1 });
    expect(b.errorMessages.hostile).toBe('custom code exceeded the time limit (200 ms)');
  });
});
