// The CPU backend's helper threads. Kernels stay synchronous calls: the calling thread writes a small job (kernel
// id, argument descriptors, a number of chunks) into a shared control block, wakes the helpers it needs with
// Atomics.notify, takes chunks itself like they do (thread.ts), then Atomics.waits until every chunk is done
// (parallel.ts says what each chunk computes). Tensors must
// live in SharedArrayBuffers (CpuBackend allocates them so while a pool is in use); a buffer is sent to the helpers
// the first time a kernel uses it, and dropped when the tensor is freed or garbage collected.
// Where: Node (worker_threads, node-threads.ts) and a cross-origin-isolated Web Worker (nested module workers,
// thread-worker.ts); never a browser page's main thread, where Atomics.wait is not allowed. One pool per thread
// count is shared by every CpuBackend of the process, so tests creating many backends start threads once.
import { SPLIT_KERNEL_NAMES, SPLIT_KERNELS, type Arg, type SplitKernelName } from './parallel.ts';
import { CONTROL_BYTES, controlViews, CTRL, errorText, MAX_ARGS, MAX_CHUNKS, MAX_THREADS, TAG, takeChunks, type FromThread, type ToThread } from './thread.ts';

/** 'auto' uses at most this many threads (more rarely pays for this engine's model sizes). */
/** How long a wait may see no progress before the pool is declared stuck. */
const STUCK_MS = 60_000;

export const AUTO_MAX_THREADS = 8;
const STARTUP_TIMEOUT_MS = 30_000;
/** Freed buffers are dropped by the helpers with the next new buffers, or sooner once this many are waiting. */
const DROP_FLUSH = { count: 64, bytes: 64 * 2 ** 20 };

/** One helper thread, as the pool sees it. */
export interface Helper {
  post(msg: ToThread): void;
  terminate(): void;
}

export interface HelperEvents {
  message(msg: FromThread): void;
  /** The thread failed to start, threw outside a job, or exited. */
  fail(reason: string): void;
}

/** Where helper threads can run; `cores` when known without asking the OS asynchronously (Node 20 has no navigator). */
export type ThreadEnvironment = { kind: 'node'; cores?: number } | { kind: 'web'; cores: number } | { kind: 'none'; reason: string };

/** Whether this JavaScript context can run helper threads, and if not why (shown in the backend's name). */
export function threadEnvironment(): ThreadEnvironment {
  const g = globalThis as {
    process?: { versions?: { node?: string } };
    WorkerGlobalScope?: unknown;
    crossOriginIsolated?: boolean;
    navigator?: { hardwareConcurrency?: number };
  };
  const cores = g.navigator?.hardwareConcurrency || undefined;
  const isNode = typeof g.process?.versions?.node === 'string';
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    return { kind: 'none', reason: isNode ? 'no SharedArrayBuffer' : 'page not cross-origin isolated' };
  }
  if (isNode) return { kind: 'node', cores };
  if (g.WorkerGlobalScope === undefined) return { kind: 'none', reason: "on the page's main thread" };
  if (g.crossOriginIsolated !== true) return { kind: 'none', reason: 'page not cross-origin isolated' };
  if (typeof Worker === 'undefined') return { kind: 'none', reason: 'no nested Web Workers' };
  return { kind: 'web', cores: cores ?? 1 };
}

function spawnWebHelper(index: number, events: HelperEvents): Helper {
  const worker = new Worker(new URL('./thread-worker.ts', import.meta.url), { type: 'module', name: `cpu-thread-${index}` });
  worker.onmessage = (e: MessageEvent<FromThread>) => events.message(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    events.fail(`CPU thread ${index} failed: ${e.message || 'its script did not load'}`);
  };
  return { post: (msg) => worker.postMessage(msg), terminate: () => worker.terminate() };
}

function threadCount(request: number | 'auto', cores: number): number {
  return Math.min(MAX_THREADS, request === 'auto' ? Math.min(cores, AUTO_MAX_THREADS) : request);
}

// A variable specifier: bundlers leave the import alone, so node:worker_threads never reaches the browser bundle.
const NODE_THREADS = './node-threads.ts';
type NodeThreads = typeof import('./node-threads.ts');

export type PoolStatus = 'starting' | 'running' | 'unavailable' | 'broken' | 'disposed';

export class ThreadPool {
  private static readonly pools = new Map<string, ThreadPool>();

  /** The process's pool for this thread count (started on first use), with one more reference. */
  static acquire(threads: number | 'auto', env: ThreadEnvironment): ThreadPool {
    const key = String(threads);
    let pool = ThreadPool.pools.get(key);
    if (!pool) {
      pool = new ThreadPool(key, threads, env);
      ThreadPool.pools.set(key, pool);
    }
    pool.refs++;
    return pool;
  }

  status: PoolStatus = 'starting';
  /** The thread count it is starting (when known before the threads run). */
  readonly target: number | null;
  /** Why the pool runs on one thread (status 'unavailable' or 'broken'). */
  reason = '';
  /** Settles (never rejects) once the pool runs or has given up. */
  readonly ready: Promise<void>;
  private refs = 0;
  private readonly helpers: Helper[] = [];
  private readonly ctrl: Int32Array;
  private readonly nums: Float64Array;
  private readonly control: SharedArrayBuffer;
  private readonly ids = new WeakMap<SharedArrayBuffer, number>();
  private nextId = 1;
  private pendingAdd: [number, SharedArrayBuffer][] = [];
  private pendingDrop: number[] = [];
  private pendingDropBytes = 0;
  private readonly finalizer = new FinalizationRegistry<number>((id) => this.pendingDrop.push(id));

  private constructor(
    private readonly key: string,
    request: number | 'auto',
    env: ThreadEnvironment,
  ) {
    this.control = new SharedArrayBuffer(CONTROL_BYTES);
    ({ ints: this.ctrl, nums: this.nums } = controlViews(this.control));
    const cores = env.kind === 'none' ? undefined : env.cores;
    this.target = request !== 'auto' ? request : cores !== undefined ? threadCount(request, cores) : null;
    this.ready = this.start(request, env);
  }

  /** Threads computing a split call, the caller's included (1 unless running). */
  get size(): number {
    return this.status === 'running' ? this.helpers.length + 1 : 1;
  }

  /** Drop one reference; the last one stops the threads. */
  release(): void {
    if (--this.refs > 0 || this.status === 'disposed') return;
    this.stop('disposed', '');
  }

  /** A tensor's buffer was freed: the helpers may drop it (it is sent again if used after all). */
  forget(buffer: ArrayBufferLike): void {
    if (!(buffer instanceof SharedArrayBuffer)) return;
    const id = this.ids.get(buffer);
    if (id === undefined) return;
    this.ids.delete(buffer);
    this.finalizer.unregister(buffer);
    this.pendingDrop.push(id);
    this.pendingDropBytes += buffer.byteLength;
  }

  /**
   * Run a kernel as `chunks` chunks (parallel.ts's parts) on up to `threads` threads, this one included. Returns
   * false, having done nothing, when the pool is not running or a tensor is not in a SharedArrayBuffer (the caller
   * then runs the kernel itself). Throws one error when a chunk throws (after every chunk has finished; a chunk
   * run here rethrows its own error) or when a helper thread dies.
   */
  run(name: SplitKernelName, args: Arg[], threads: number, chunks: number): boolean {
    if (this.status !== 'running' || threads < 2) return false;
    if (args.length > MAX_ARGS) throw new Error(`${name}: more than ${MAX_ARGS} arguments`);
    const c = this.ctrl;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const s = CTRL.ARGS + 4 * i;
      if (a === null) {
        c[s] = TAG.NULL;
      } else if (typeof a === 'number') {
        c[s] = TAG.NUMBER;
        this.nums[i] = a;
      } else {
        const buffer = a.buffer;
        if (!(buffer instanceof SharedArrayBuffer)) return false;
        let id = this.ids.get(buffer);
        if (id === undefined) {
          id = this.nextId++;
          this.ids.set(buffer, id);
          this.finalizer.register(buffer, id, buffer);
          this.pendingAdd.push([id, buffer]);
        }
        c[s] = a instanceof Float32Array ? TAG.F32 : a instanceof Float64Array ? TAG.F64 : TAG.I32;
        c[s + 1] = id;
        c[s + 2] = a.byteOffset / a.BYTES_PER_ELEMENT;
        c[s + 3] = a.length;
      }
    }
    // A helper that died between jobs: nothing is computed yet, so the caller runs this call itself.
    if (Atomics.load(c, CTRL.DEAD) !== 0) {
      this.stop('broken', 'a CPU thread exited');
      return false;
    }
    if (this.pendingAdd.length > 0 || this.pendingDrop.length >= DROP_FLUSH.count || this.pendingDropBytes >= DROP_FLUSH.bytes) {
      try {
        this.share();
      } catch {
        return false; // a helper died while taking the buffers (the pool is stopped; reason says so)
      }
    }
    const K = Math.max(1, Math.min(chunks, MAX_CHUNKS));
    c[CTRL.NARGS] = args.length;
    c[CTRL.KERNEL] = SPLIT_KERNEL_NAMES.indexOf(name);
    Atomics.store(c, CTRL.ERR, 0);
    Atomics.store(c, CTRL.COMPLETED, 0);
    Atomics.store(c, CTRL.NEXT, K << 16); // publishes the job: chunks can be taken from here on
    const helpers = Math.min(threads, this.size, K) - 1;
    for (let w = 1; w <= helpers; w++) {
      Atomics.add(c, CTRL.GO + w, 1);
      Atomics.notify(c, CTRL.GO + w);
    }
    const part = SPLIT_KERNELS[name].part as (p: number, P: number, ...a: Arg[]) => void;
    let own: unknown = null;
    takeChunks(c, 0, (chunk, chunksOf) => {
      try {
        part(chunk, chunksOf, ...args);
      } catch (e) {
        own ??= e;
        throw e;
      }
    });
    this.waitFor(CTRL.COMPLETED, K, name);
    if (own !== null) throw own;
    const err = Atomics.load(c, CTRL.ERR);
    if (err !== 0) throw new Error(`${name} failed on CPU thread ${err - 1}: ${errorText(c)}`);
    return true;
  }

  /** Send the helpers the buffers they have not seen (and the ones to drop), then wait until they have them. */
  private share(): void {
    const msg: ToThread = { type: 'share', add: this.pendingAdd, drop: this.pendingDrop };
    this.pendingAdd = [];
    this.pendingDrop = [];
    this.pendingDropBytes = 0;
    const c = this.ctrl;
    Atomics.store(c, CTRL.ACKS, 0);
    for (const h of this.helpers) h.post(msg);
    Atomics.add(c, CTRL.YIELD_GEN, 1);
    for (let w = 1; w <= this.helpers.length; w++) {
      Atomics.add(c, CTRL.GO + w, 1);
      Atomics.notify(c, CTRL.GO + w);
    }
    this.waitFor(CTRL.ACKS, this.helpers.length, 'sharing buffers');
  }

  /** Block until control slot `slot` reaches `n`; throws (and stops the pool) if a helper thread exits meanwhile. */
  private waitFor(slot: number, n: number, what: string): void {
    const c = this.ctrl;
    let last = -1;
    let since = performance.now();
    for (;;) {
      const v = Atomics.load(c, slot);
      if (v >= n) return;
      if (Atomics.load(c, CTRL.DEAD) !== 0) {
        const reason = `a CPU thread exited during ${what}`;
        this.stop('broken', reason);
        throw new Error(`${reason}; the CPU backend continues on one thread`);
      }
      // A watchdog: no chunk of any kernel takes this long, so no progress means a stuck helper. Say so
      // rather than wait forever (one hang was seen once and not reproduced: see the README).
      if (v !== last) {
        last = v;
        since = performance.now();
      } else if (performance.now() - since > STUCK_MS) {
        const reason = `a CPU thread stopped responding during ${what}`;
        this.stop('broken', reason);
        throw new Error(`${reason}; the CPU backend continues on one thread`);
      }
      Atomics.wait(c, slot, v, 1000);
    }
  }

  private async start(request: number | 'auto', env: ThreadEnvironment): Promise<void> {
    try {
      if (env.kind === 'none') throw new Error(env.reason);
      let spawn: (index: number, events: HelperEvents) => Helper;
      let cores: number;
      if (env.kind === 'node') {
        const mod = (await import(/* @vite-ignore */ NODE_THREADS)) as NodeThreads;
        spawn = mod.spawnHelper;
        cores = mod.cores();
      } else {
        spawn = spawnWebHelper;
        cores = env.cores;
      }
      const n = threadCount(request, cores);
      if (n < 2) throw new Error(`${cores} core${cores === 1 ? '' : 's'}`);
      if (this.status !== 'starting') return;
      await new Promise<void>((resolve, reject) => {
        let ready = 0;
        const timer = setTimeout(() => reject(new Error(`threads did not start within ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
        const settle = (err: Error | null) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        for (let w = 1; w < n; w++) {
          const helper = spawn(w, {
            message: (msg) => {
              if (msg.type === 'ready' && ++ready === n - 1) settle(null);
            },
            fail: (reason) => {
              if (this.status === 'starting') settle(new Error(reason));
              else if (this.status === 'running') this.stop('broken', reason);
            },
          });
          this.helpers.push(helper);
          helper.post({ type: 'init', control: this.control, index: w });
        }
      });
      if (this.status === 'starting') this.status = 'running';
    } catch (e) {
      if (this.status === 'starting') this.stop('unavailable', (e as Error).message);
    }
  }

  private stop(status: PoolStatus, reason: string): void {
    this.status = status;
    this.reason = reason;
    for (const h of this.helpers) h.terminate();
    this.helpers.length = 0;
    if (ThreadPool.pools.get(this.key) === this) ThreadPool.pools.delete(this.key);
  }
}
