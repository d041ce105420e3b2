// The sandbox for untrusted reward code and user regular expressions, as criteria use it: QuickJS (WebAssembly,
// sandbox-quickjs.ts) run in a sandbox thread (sandbox-threads.ts), identically in the browser and in Node.
//
// Contract:
// - Nothing of the host is exposed inside (no fetch, require, DOM, storage, timers, host functions); only a
//   number (or a regex's boolean) comes out. Math.random is seeded and the clock frozen, so a score depends
//   only on its inputs.
// - Limits per call: time (the engine's interrupt handler, and a watchdog that terminates the thread for what
//   the handler cannot stop), memory (a capped WebAssembly memory per limit), stack. Breaking one fails that
//   call with one clear line ("exceeded the time limit (50 ms)"); the rest of the batch scores normally.
// - Where no thread can start, the engine runs in the caller's thread (with the interrupt handler only).

import {
  checkCustomCodeHere,
  COMPILE_TIME_MS,
  DEFAULT_SANDBOX_LIMITS,
  limitMessage,
  runCustomCodeHere,
  runRegexTestsHere,
  SandboxError,
  toWireCall,
  type CodeCall,
  type SandboxLimits,
} from './sandbox-quickjs.ts';
import type { SandboxJob, WireResult } from './sandbox-protocol.ts';
import { markSandboxThreadsUnavailable, sandboxPool, SandboxUnavailable, watchdogGraceMs, type JobPlan } from './sandbox-threads.ts';

export { CODE_PARAMS, DEFAULT_SANDBOX_LIMITS, FROZEN_NOW, SandboxError, type CodeCall, type SandboxLimits } from './sandbox-quickjs.ts';

/** Results off the wire; equal messages share one Error (a syntax error is one failure of the whole batch). */
function fromWire<T>(results: WireResult[]): (T | Error)[] {
  const errors = new Map<string, Error>();
  return results.map((r) => {
    if (!('error' in r)) return r.value as T;
    let e = errors.get(r.error);
    if (!e) errors.set(r.error, (e = new SandboxError(r.error)));
    return e;
  });
}

/** Run `plan` in a sandbox thread; null where threads cannot run (the caller then runs it here). */
async function inThread(plan: JobPlan): Promise<{ results: WireResult[]; problem: string | null } | null> {
  const pool = await sandboxPool();
  if (!pool) return null;
  try {
    return await pool.slot(plan.job.limits).run(plan);
  } catch (e) {
    if (!(e instanceof SandboxUnavailable)) throw e;
    markSandboxThreadsUnavailable(e.message);
    return null;
  }
}

const compileMs = (l: SandboxLimits) => 2 * Math.max(l.timeLimitMs, COMPILE_TIME_MS);
const withGrace = (ms: number, l: SandboxLimits) => ms + watchdogGraceMs(l.timeLimitMs);

/**
 * Run user code over a batch: each call gets a fresh context; each result is a number or an Error whose
 * message says what went wrong ("exceeded the time limit (50 ms)", "threw TypeError: ... (line 3)", "returned
 * string, not a number"). A syntax error fails every call with the same message, found once.
 */
export async function runCustomCode(code: string, calls: readonly CodeCall[], limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<(number | Error)[]> {
  if (calls.length === 0) return [];
  const wire = calls.map(toWireCall);
  const job: SandboxJob = { kind: 'code', code, calls: wire, limits };
  const out = await inThread({
    job,
    items: wire.length,
    subset: (indices) => ({ ...job, calls: indices.map((i) => wire[i]) }),
    startMs: compileMs(limits),
    itemMs: withGrace(limits.timeLimitMs, limits),
    timedOut: { error: limitMessage.time(limits) },
  });
  return out ? fromWire<number>(out.results) : runCustomCodeHere(code, wire, limits);
}

/**
 * Check that code compiles to a function (for early, clear config errors); returns the problem or null.
 * Running out of time or memory while checking is left for scoring to report.
 */
export async function checkCustomCode(code: string, limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS): Promise<string | null> {
  const job: SandboxJob = { kind: 'check', code, limits };
  const out = await inThread({ job, items: 0, subset: () => job, startMs: compileMs(limits), itemMs: withGrace(0, limits), timedOut: { error: '' } });
  return out ? out.problem : checkCustomCodeHere(code, limits);
}

/**
 * Test a user regular expression against many texts in the sandbox: catastrophic backtracking fails that text
 * at the time limit ("... the pattern backtracks too much on this text") instead of freezing the page.
 */
export async function runRegexTests(
  pattern: string,
  flags: string,
  texts: readonly string[],
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
): Promise<(boolean | Error)[]> {
  if (texts.length === 0) return [];
  const job: SandboxJob = { kind: 'regex', pattern, flags, texts: [...texts], limits };
  const out = await inThread({
    job,
    items: texts.length,
    subset: (indices) => ({ ...job, texts: indices.map((i) => texts[i]) }),
    startMs: 0,
    itemMs: withGrace(2 * limits.timeLimitMs, limits), // building the pattern, then testing, each have the limit
    timedOut: { error: `${limitMessage.time(limits)}: the pattern backtracks too much on this text` },
  });
  return out ? fromWire<boolean>(out.results) : runRegexTestsHere(pattern, flags, texts, limits);
}
