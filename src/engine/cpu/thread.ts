// A helper thread of the CPU backend's pool (pool.ts), and the control block they share. The thread's entry files
// (thread-worker.ts in the browser, thread-worker-node.mjs in Node) wire a message port to serveThread.
// A job is a kernel id and argument descriptors (tensors as shared-buffer id, element offset and length) split
// into K chunks (parallel.ts: chunk c of K is "part c of K"). Every thread taking part, the caller included,
// takes chunks from one shared counter until none is left, so a thread the OS delays simply takes fewer; each
// chunk computes the same numbers whichever thread runs it. Between jobs a helper blocks in Atomics.wait on its
// GO slot. Buffers arrive as 'share' messages: the caller posts them, bumps YIELD_GEN and wakes every helper,
// which returns to its event loop to receive them.
import { runPart, SPLIT_KERNEL_NAMES, type Arg } from './parallel.ts';

/** Most threads a pool may have (the caller included), and most arguments of a kernel. */
export const MAX_THREADS = 64;
export const MAX_ARGS = 16;
const ERR_TEXT_LEN = 256;

/** Int32 slots of the control block. */
export const CTRL = {
  /** (K << 16) | next chunk: Atomics.add(NEXT, 1) takes a chunk of the current job (none once it reaches K). */
  NEXT: 0,
  /** Chunks of the current job finished. */
  COMPLETED: 1,
  /** 1 once a helper thread has exited. */
  DEAD: 2,
  /** 0, or 1 + the index of the first thread whose chunk threw; its message is at ERR_TEXT. */
  ERR: 3,
  /** Index into SPLIT_KERNEL_NAMES of the current job. */
  KERNEL: 4,
  NARGS: 5,
  /** Bumped for each 'share' message: a helper that sees it change goes back to its event loop. */
  YIELD_GEN: 6,
  /** Helpers that took in the last 'share' message. */
  ACKS: 7,
  /** GO + w: wake-up counter of helper w (1 <= w < MAX_THREADS). */
  GO: 8,
  /** 4 slots per argument: tag, buffer id, element offset, length. */
  ARGS: 8 + MAX_THREADS,
  ERR_TEXT: 8 + MAX_THREADS + 4 * MAX_ARGS,
} as const;
const INTS = CTRL.ERR_TEXT + ERR_TEXT_LEN;
/** Numbers (one f64 slot per argument) start at this byte offset. */
const NUMS_BYTE = Math.ceil((INTS * 4) / 8) * 8;
export const CONTROL_BYTES = NUMS_BYTE + 8 * MAX_ARGS;
/** Most chunks of one job (K must fit the 16 high bits of NEXT with room to spare). */
export const MAX_CHUNKS = 1024;

export const TAG = { NULL: 0, NUMBER: 1, F32: 2, F64: 3, I32: 4 } as const;

export interface ControlViews {
  ints: Int32Array;
  nums: Float64Array;
}

export function controlViews(buffer: SharedArrayBuffer): ControlViews {
  return { ints: new Int32Array(buffer, 0, INTS), nums: new Float64Array(buffer, NUMS_BYTE, MAX_ARGS) };
}

/** Store the first error of a job (which thread, the message) unless another chunk got there first. */
export function recordError(ctrl: Int32Array, thread: number, e: unknown): void {
  if (Atomics.compareExchange(ctrl, CTRL.ERR, 0, thread + 1) !== 0) return;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const n = Math.min(text.length, ERR_TEXT_LEN - 1);
  for (let i = 0; i < n; i++) ctrl[CTRL.ERR_TEXT + i] = text.charCodeAt(i);
  ctrl[CTRL.ERR_TEXT + n] = 0;
}

export function errorText(ctrl: Int32Array): string {
  let s = '';
  for (let i = 0; i < ERR_TEXT_LEN && ctrl[CTRL.ERR_TEXT + i] !== 0; i++) s += String.fromCharCode(ctrl[CTRL.ERR_TEXT + i]);
  return s;
}

/**
 * Take chunks of the current job and run them until none is left. A chunk taken belongs to the job running now,
 * and that job cannot end (nor its arguments change) before the chunk is done, so `run` reads the job then.
 * An error is recorded and the chunk still counts as finished.
 */
export function takeChunks(ctrl: Int32Array, thread: number, run: (chunk: number, chunks: number) => void): void {
  for (;;) {
    const v = Atomics.add(ctrl, CTRL.NEXT, 1);
    const K = v >>> 16;
    const chunk = v & 0xffff;
    if (chunk >= K) return;
    try {
      run(chunk, K);
    } catch (e) {
      recordError(ctrl, thread, e);
    }
    Atomics.add(ctrl, CTRL.COMPLETED, 1);
    Atomics.notify(ctrl, CTRL.COMPLETED);
  }
}

/** Messages from the pool to a helper. */
export type ToThread =
  | { type: 'init'; control: SharedArrayBuffer; index: number }
  | { type: 'share'; add: [number, SharedArrayBuffer][]; drop: number[] };

/** Messages from a helper to the pool. */
export type FromThread = { type: 'ready' };

export interface ThreadSide {
  /** Handle one message from the pool (returns when the thread goes back to its event loop). */
  onMessage(msg: ToThread): void;
  /** Tell a waiting caller that this thread is exiting (from the thread's exit hook). */
  onExit(): void;
}

export function serveThread(post: (msg: FromThread) => void): ThreadSide {
  let ctrl: Int32Array | null = null;
  let nums: Float64Array | null = null;
  let index = 0;
  let lastGo = 0;
  let lastYield = 0;
  const buffers = new Map<number, SharedArrayBuffer>();

  const buffer = (id: number): SharedArrayBuffer => {
    const b = buffers.get(id);
    if (!b) throw new Error(`shared buffer ${id} was never sent to this thread`);
    return b;
  };

  const decodeArgs = (c: Int32Array, n: Float64Array): Arg[] => {
    const args: Arg[] = [];
    for (let i = 0; i < c[CTRL.NARGS]; i++) {
      const s = CTRL.ARGS + 4 * i;
      const tag = c[s];
      if (tag === TAG.NULL) args.push(null);
      else if (tag === TAG.NUMBER) args.push(n[i]);
      else if (tag === TAG.F32) args.push(new Float32Array(buffer(c[s + 1]), c[s + 2] * 4, c[s + 3]));
      else if (tag === TAG.F64) args.push(new Float64Array(buffer(c[s + 1]), c[s + 2] * 8, c[s + 3]));
      else if (tag === TAG.I32) args.push(new Int32Array(buffer(c[s + 1]), c[s + 2] * 4, c[s + 3]));
      else throw new Error(`unknown argument tag ${tag}`);
    }
    return args;
  };

  /** Take chunks each time the caller wakes this thread, until a share message sends it back to its event loop. */
  const serve = (c: Int32Array, n: Float64Array) => {
    for (;;) {
      Atomics.wait(c, CTRL.GO + index, lastGo);
      lastGo = Atomics.load(c, CTRL.GO + index);
      const y = Atomics.load(c, CTRL.YIELD_GEN);
      if (y !== lastYield) {
        lastYield = y;
        return;
      }
      takeChunks(c, index, (chunk, K) => runPart(SPLIT_KERNEL_NAMES[c[CTRL.KERNEL]], chunk, K, decodeArgs(c, n)));
    }
  };

  return {
    onMessage(msg) {
      if (msg.type === 'init') {
        ({ ints: ctrl, nums } = controlViews(msg.control));
        index = msg.index;
        (globalThis as { cpuHelperThread?: number }).cpuHelperThread = index; // read by parallel.ts's testFailure
        lastGo = Atomics.load(ctrl, CTRL.GO + index);
        lastYield = Atomics.load(ctrl, CTRL.YIELD_GEN);
        post({ type: 'ready' });
      } else if (msg.type === 'share' && ctrl) {
        for (const [id, b] of msg.add) buffers.set(id, b);
        for (const id of msg.drop) buffers.delete(id);
        Atomics.add(ctrl, CTRL.ACKS, 1);
        Atomics.notify(ctrl, CTRL.ACKS);
      }
      if (ctrl && nums) serve(ctrl, nums);
    },
    onExit() {
      if (!ctrl) return;
      Atomics.store(ctrl, CTRL.DEAD, 1);
      Atomics.notify(ctrl, CTRL.COMPLETED);
      Atomics.notify(ctrl, CTRL.ACKS);
    },
  };
}
