// Messages between the sandbox's host (sandbox-threads.ts) and a sandbox thread (sandbox-serve.ts). One job at a
// time per thread; the thread streams each item's result as soon as it is known, which is also how the host's
// watchdog sees progress (a thread stuck in a C built-in sends nothing and is terminated).
import type { SandboxLimits, WireCall } from './sandbox-quickjs.ts';

export type SandboxJob =
  | { kind: 'code'; code: string; calls: WireCall[]; limits: SandboxLimits }
  | { kind: 'check'; code: string; limits: SandboxLimits }
  | { kind: 'regex'; pattern: string; flags: string; texts: string[]; limits: SandboxLimits };

/** An item's result on the wire: a value (number for code, boolean for regex) or an error message. */
export type WireResult = { value: number | boolean } | { error: string };

export type ToSandbox =
  /** `clock` (where SharedArrayBuffer can be sent): the thread records there which item runs and since when. */
  | { type: 'job'; id: number; job: SandboxJob; clock?: SharedArrayBuffer }
  /** Load QuickJS for this limit now (a spare thread, so it is ready the moment it takes over). */
  | { type: 'warm'; memoryLimitBytes: number };

export type FromSandbox =
  /** The engine is loaded: timed work starts now (the watchdog arms). */
  | { type: 'begin'; id: number }
  /** The code compiled: each call's own deadline starts. */
  | { type: 'compiled'; id: number }
  /** The engine is being (re)loaded after a module failure: untimed (the watchdog disarms until 'begin'). */
  | { type: 'loading'; id: number }
  | { type: 'item'; id: number; index: number; result: WireResult }
  /** The job is over; `problem` is a check job's answer. */
  | { type: 'done'; id: number; problem?: string | null }
  /** The job could not run at all (the engine did not load). */
  | { type: 'failed'; id: number; message: string };

/** Bytes of a job's clock: Int32 counts of items started and finished, then the Float64 start time of the latest. */
export const CLOCK_BYTES = 16;

export interface ClockViews {
  /** [0]: items of the job started (the one running is started - 1); [1]: items finished (results posted or about to be). */
  started: Int32Array;
  /** [0]: when it started, in ms since the epoch (performance.timeOrigin + performance.now(): the same in every thread). */
  at: Float64Array;
}

export function clockViews(buffer: SharedArrayBuffer): ClockViews {
  return { started: new Int32Array(buffer, 0, 2), at: new Float64Array(buffer, 8, 1) };
}

export const epochMs = (): number => performance.timeOrigin + performance.now();
