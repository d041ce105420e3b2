// The sandbox threads with the real QuickJS engine in real worker_threads: built-ins that loop in C (which
// QuickJS's interrupt handler never sees) end at the watchdog, only the offending completion fails, memory stays
// within the budget and idle threads go away.
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_LIMITS, runCustomCode, type CodeCall } from './sandbox.ts';
import { runCustomCodeHere, toWireCall } from './sandbox-quickjs.ts';
import { releaseSandboxThreads, SANDBOX_MEMORY_BUDGET, sandboxThreadStats, setSandboxIdleReleaseMs, setSandboxMemoryBudget, watchdogGraceMs } from './sandbox-threads.ts';

const call = (completion: string): CodeCall => ({ prompt: 'p', completion, answer: 'a', messages: [], state: {} });
const show = (r: number | Error) => (r instanceof Error ? r.message : r);

afterAll(() => releaseSandboxThreads());

/** Each completion names a hostile built-in call; 'ok' scores 1. */
const HOSTILE: Record<string, string> = {
  indexOf: 'Array.prototype.indexOf.call({ length: 1e15 }, 1)',
  includes: 'Array.prototype.includes.call({ length: 2 ** 53 - 1 }, 1)',
  lastIndexOf: 'Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 1)',
  join: "new Array(2 ** 32 - 1).join('')",
  sort: 'new Array(2 ** 32 - 1).sort()',
  reverse: 'Array.prototype.reverse.call({ length: 2 ** 40 })',
  copyWithin: 'Array.prototype.copyWithin.call({ length: 2 ** 40 }, 1, 0)',
};
const CODE = `switch (completion) {\n${Object.entries(HOSTILE)
  .map(([k, v]) => `case ${JSON.stringify(k)}: return ${v};`)
  .join('\n')}\n}\nreturn 1`;

describe('sandbox threads', () => {
  it('built-ins looping in C end at the watchdog; the completions around them score', async () => {
    const limits = { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: 100 }; // not 50: the 'ok' calls must not overrun on a busy test machine
    await runCustomCode('return 0', [call('warm')], limits); // thread start-up is not what this test times
    const names = Object.keys(HOSTILE);
    const completions = [...names.slice(0, 3), 'ok', ...names.slice(3), 'ok'];
    const t0 = performance.now();
    const r = (await runCustomCode(CODE, completions.map(call), limits)).map(show);
    const elapsed = performance.now() - t0;
    expect(r).toEqual(completions.map((c) => (c === 'ok' ? 1 : 'exceeded the time limit (100 ms)')));
    // each kill costs at most its limit + grace, plus a replacement thread's start on a busy machine
    expect(elapsed).toBeLessThan(names.length * (100 + watchdogGraceMs(100) + 3000));
  });

  it('catching the stack overflow and recursing again ends at the deadline', async () => {
    const code = 'function f() { try { return f() } catch (e) { return f() } } return completion === "rec" ? f() : 2';
    const t0 = performance.now();
    const r = (await runCustomCode(code, ['rec', 'fine'].map(call), { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: 200 })).map(show);
    expect(r).toEqual(['exceeded the time limit (200 ms)', 2]);
    expect(performance.now() - t0).toBeLessThan(4000); // was 4.7-7.6 s per completion without the watchdog
  });

  it('deep recursion inside C fails only its own completion', async () => {
    const code = `switch (completion) {
      case 'parse': return JSON.parse('['.repeat(16000) + ']'.repeat(16000)).length;
      case 'nested': { let o = {}; for (let i = 0; i < 20000; i++) o = { a: o }; return o; }
      case 'cyclic': { const o = {}; o.toString = () => String(o); return String(o); }
    }
    return 3`;
    const completions = ['parse', 'ok', 'nested', 'ok', 'cyclic', 'ok'];
    const r = (await runCustomCode(code, completions.map(call), { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: 2000 })).map(show);
    expect(r.filter((_, i) => completions[i] === 'ok')).toEqual([3, 3, 3]);
    expect(r[2]).toBe('returned object, not a number');
    expect(r[4]).toMatch(/^exceeded the stack limit/);
    expect(typeof r[0] === 'number' || /^exceeded the stack limit/.test(String(r[0]))).toBe(true);
  });

  it("the host's own stack overflowing inside the engine fails one call, and the batch goes on", async () => {
    // In this (non-worker) thread the host stack is the smaller one, so JSON.parse's C recursion overflows it.
    const code = "if (completion === 'deep') return JSON.parse('['.repeat(16000)).length; return 4";
    const r = (await runCustomCodeHere(code, ['deep', 'ok', 'deep', 'ok'].map((c) => toWireCall(call(c))), { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: 2000 })).map(show);
    expect(r[1]).toBe(4);
    expect(r[3]).toBe(4);
    for (const m of [r[0], r[2]]) expect(String(m)).toMatch(/^exceeded the stack limit|^threw SyntaxError/);
  });

  it('memory: distinct limits near 256 MB stay within the budget, and idle threads are ended', async () => {
    setSandboxIdleReleaseMs(300);
    const budget = 600 * 2 ** 20; // two 256 MB threads at once (the real budget allows three)
    setSandboxMemoryBudget(budget);
    try {
      // each criterion really touches 80 MB: a module per limit kept for the process's life held them all (480 MB)
      const code = 'const a = new Uint8Array(80 << 20); a.fill(1); return a[7]';
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const limitsMb = [251, 252, 253, 254, 255, 256];
      const rs = await Promise.all(limitsMb.map((mb) => runCustomCode(code, [call('x')], { ...DEFAULT_SANDBOX_LIMITS, timeLimitMs: 10_000, memoryLimitBytes: mb << 20 })));
      clearInterval(sample);
      expect(rs.map((r) => show(r[0]))).toEqual(limitsMb.map(() => 1));
      const stats = await sandboxThreadStats();
      expect(stats.peakCapBytes).toBeLessThanOrEqual(budget);
      expect((peak - rss0) / 2 ** 20).toBeLessThan(380); // 2 of 6 at once (2 x 80 MB + threads), not 6 x 80 MB
      const deadline = performance.now() + 5000;
      while ((await sandboxThreadStats()).threads > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect((await sandboxThreadStats()).threads).toBe(0);
    } finally {
      setSandboxIdleReleaseMs(20_000);
      setSandboxMemoryBudget(SANDBOX_MEMORY_BUDGET);
    }
  });
});
