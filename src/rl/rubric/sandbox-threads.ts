// The sandbox's host side: QuickJS runs in its own threads (Node worker_threads, or Web Workers in the browser),
// one per memory cap, so a hard wall-clock deadline needs no cooperation from the guest. QuickJS polls its time
// limit between bytecodes but not inside built-ins looping in C (`Array.prototype.indexOf.call({length: 1e15})`),
// so each step of a job has a watchdog here: a thread that sends nothing for its step's limit plus a grace is
// terminated, the item in flight fails with the time-limit message, and a fresh thread takes the rest.
//
// Contract:
// - A whole batch travels in one message; the thread streams each result back as it is known (that stream is
//   also the watchdog's sign of progress). Items run in order, so the item in flight is the first without a result.
//   Where memory can be shared, the thread also records which item runs since when, and the watchdog measures
//   the item by that clock: a busy host that reads a result late, or a thread descheduled before an item, kills
//   nothing (only an item that really ran past its limit + grace is stopped).
// - Memory: a thread holds one QuickJS module whose WebAssembly memory is capped (sandbox-quickjs.ts); the caps of
//   live threads sum to at most SANDBOX_MEMORY_BUDGET (idle threads are ended, least recently used first, or a job
//   waits), and a thread idle for IDLE_RELEASE_MS is ended, which returns all its memory.
// - A thread that crashes mid-job fails the item in flight only. If threads cannot start at all, `runJob` throws
//   SandboxUnavailable and the caller runs the engine in its own thread (without the hard deadline).
import { moduleCapBytes, type SandboxLimits } from './sandbox-quickjs.ts';
import { CLOCK_BYTES, clockViews, epochMs, type FromSandbox, type SandboxJob, type ToSandbox, type WireResult } from './sandbox-protocol.ts';

/** A started sandbox thread, as the host sees it. */
export interface SandboxPort {
  post(m: ToSandbox): void;
  terminate(): void;
  /** Node: keep the process alive while a job runs (ref), not while idle (unref). */
  hold(busy: boolean): void;
}

export interface SandboxPortEvents {
  message(m: FromSandbox): void;
  /** The thread failed to start, threw outside a job, or exited. */
  fail(reason: string): void;
}

export type SpawnSandbox = (events: SandboxPortEvents) => SandboxPort;

/** Most bytes of WebAssembly memory all live sandbox threads may reach together. */
export const SANDBOX_MEMORY_BUDGET = 1024 * 2 ** 20;
let memoryBudget = SANDBOX_MEMORY_BUDGET;

/** Tests: a smaller budget. */
export function setSandboxMemoryBudget(bytes: number): void {
  memoryBudget = bytes;
}
/** A thread with no job for this long is ended (its memory goes back to the system). */
export const IDLE_RELEASE_MS = 20_000;
let idleReleaseMs = IDLE_RELEASE_MS;

/** Tests: end idle threads sooner. */
export function setSandboxIdleReleaseMs(ms: number): void {
  idleReleaseMs = ms;
}
/** How long a thread may take to start and load QuickJS (untimed work, but not endless). */
const STARTUP_MS = 60_000;

/**
 * How long past a step's own limit the watchdog waits before it kills the thread. The engine's own deadline
 * normally ends a call first; this is for calls it cannot interrupt, with room for a busy machine's message delay.
 */
export function watchdogGraceMs(limitMs: number): number {
  return limitMs + 100;
}

export class SandboxUnavailable extends Error {
  override name = 'SandboxUnavailable';
}

/** What one job needs from the host: its items' timing and what a killed item reads. */
export interface JobPlan {
  job: SandboxJob;
  /** Items in the job (0 for a check). */
  items: number;
  /** The job narrowed to some of its items (after a thread was replaced). */
  subset(indices: number[]): SandboxJob;
  /** Time allowed for compiling (until 'compiled'), and for each item, in ms (the grace is added by the caller). */
  startMs: number;
  itemMs: number;
  /** The result of an item the watchdog stopped. */
  timedOut: WireResult;
}

type Attempt =
  | { kind: 'done'; problem?: string | null }
  | { kind: 'timeout' }
  | { kind: 'crash'; reason: string; began: boolean }
  | { kind: 'failed'; message: string };

let nextJobId = 1;

/** Re-checks of the shared clock before the watchdog gives up on an item anyway. */
const MAX_CLOCK_WAITS = 100;

/** A job's clock can be shared with the thread (Node; a cross-origin-isolated page). */
function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** The threads of one memory cap: one job at a time, in order. */
class SandboxSlot {
  private port: SandboxPort | null = null;
  /** Started after a thread had to be killed, so the next kill does not wait for a thread to start. */
  private spare: SandboxPort | null = null;
  private events: SandboxPortEvents | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  lastUsed = 0;

  constructor(
    readonly capBytes: number,
    private readonly memoryLimitBytes: number,
    private readonly pool: SandboxPool,
  ) {}

  /** Set by the pool when this slot's thread is counted in the memory budget (before it is spawned). */
  holdsBudget = false;

  get live(): boolean {
    return this.port !== null;
  }

  get idle(): boolean {
    return this.pending === 0;
  }

  /** End the thread and its spare (their memory is freed); the next job starts a new one. */
  release(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.port?.terminate();
    this.spare?.terminate();
    this.port = this.spare = null;
    this.holdsBudget = false;
    this.pool.changed();
  }

  /** A new thread whose events reach this slot while it is the slot's thread; `warm` loads QuickJS at once. */
  private spawn(warm: boolean): SandboxPort {
    const port: SandboxPort = this.pool.spawn({
      message: (m) => {
        if (this.port === port) this.events?.message(m);
      },
      fail: (reason) => {
        if (this.spare === port) this.spare = null;
        if (this.port !== port) return;
        this.port = null;
        this.holdsBudget = false;
        this.pool.changed();
        this.events?.fail(reason);
      },
    });
    if (warm) port.post({ type: 'warm', memoryLimitBytes: this.memoryLimitBytes });
    return port;
  }

  /** Replace a killed thread: the warm spare takes over, and a new spare starts (the code at hand may overrun again). */
  private replaceKilled(killed: SandboxPort): void {
    killed.terminate();
    if (this.port !== killed) return;
    this.port = this.spare;
    this.spare = this.spawn(true);
    if (this.port === null) {
      this.holdsBudget = false;
      this.pool.changed();
    }
  }

  /** Run `plan` after the jobs before it; resolves to a result per item, or a check's answer. */
  run(plan: JobPlan): Promise<{ results: WireResult[]; problem: string | null }> {
    this.pending++;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const done = this.chain.then(() => this.runItems(plan));
    this.chain = done.catch(() => {});
    return done.finally(() => {
      this.pending--;
      this.lastUsed = performance.now();
      this.pool.changed();
      if (this.pending === 0 && this.port !== null) {
        this.idleTimer = setTimeout(() => this.release(), idleReleaseMs);
        (this.idleTimer as { unref?: () => void }).unref?.();
      }
    });
  }

  private async runItems(plan: JobPlan): Promise<{ results: WireResult[]; problem: string | null }> {
    const results: (WireResult | undefined)[] = new Array(plan.items).fill(undefined);
    let startFailures = 0;
    for (;;) {
      const todo = results.flatMap((r, i) => (r === undefined ? [i] : []));
      const job = todo.length === plan.items ? plan.job : plan.subset(todo);
      const outcome = await this.attempt(job, plan, (k, r) => (results[todo[k]] = r));
      const inFlight = results.indexOf(undefined);
      if (outcome.kind === 'done') {
        const missing: WireResult = { error: 'sandbox failure: the thread sent no result' };
        return { results: results.map((r) => r ?? missing), problem: outcome.problem ?? null };
      }
      if (outcome.kind === 'failed') {
        return { results: results.map((r) => r ?? { error: outcome.message }), problem: outcome.message };
      }
      if (outcome.kind === 'crash' && !outcome.began) {
        if (++startFailures >= 2) throw new SandboxUnavailable(`the sandbox thread did not start: ${outcome.reason}`);
        continue;
      }
      if (inFlight === -1) return { results: results as WireResult[], problem: null }; // killed after the last item, or a check
      results[inFlight] = outcome.kind === 'timeout' ? plan.timedOut : { error: `sandbox failure: ${outcome.reason}` };
      if (!results.includes(undefined)) return { results: results as WireResult[], problem: null };
    }
  }

  /** One thread's go at a job: resolves when it is done, fails, crashes, or is killed by the watchdog. */
  private async attempt(job: SandboxJob, plan: JobPlan, onItem: (k: number, r: WireResult) => void): Promise<Attempt> {
    if (this.port === null) {
      await this.pool.reserve(this);
      this.port = this.spawn(false);
    }
    const port = this.port;
    const id = nextJobId++;
    const buffer = canShareMemory() ? new SharedArrayBuffer(CLOCK_BYTES) : undefined;
    const clock = buffer ? clockViews(buffer) : null;
    return new Promise<Attempt>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      let began = false;
      let received = 0;
      let waits = 0;
      const finish = (a: Attempt) => {
        clearTimeout(timer);
        this.events = null;
        if (a.kind === 'done' || a.kind === 'failed') port.hold(false);
        else this.replaceKilled(port);
        resolve(a);
      };
      const arm = (ms: number, onTimeout: () => void) => {
        clearTimeout(timer);
        timer = setTimeout(onTimeout, ms);
      };
      const notStarted = () => finish({ kind: 'crash', reason: `no answer within ${STARTUP_MS / 1000} s`, began });
      const timedOut = () => finish({ kind: 'timeout' });
      /**
       * An item's time is up by the host's clock. With a shared clock, measure it by the thread's: the item may
       * have started late (the thread was descheduled) or finished with its result still in the message queue.
       */
      const itemTimedOut = () => {
        if (clock && waits++ < MAX_CLOCK_WAITS) {
          const started = Atomics.load(clock.started, 0);
          const finished = Atomics.load(clock.started, 1);
          const left = clock.at[0] + plan.itemMs - epochMs();
          if (finished > received) return arm(10, itemTimedOut); // its result is on its way
          if (started <= received) return arm(plan.itemMs, itemTimedOut); // between items: our code, not the guest's
          if (left > 0) return arm(left, itemTimedOut); // it started late
        }
        timedOut();
      };
      const armItem = () => {
        waits = 0;
        arm(plan.itemMs, itemTimedOut);
      };
      this.events = {
        message: (m) => {
          if (m.id !== id) return;
          if (m.type === 'begin') {
            if (began || plan.startMs === 0) armItem();
            else arm(plan.startMs + plan.itemMs, timedOut); // compiling (then the first item)
            began = true;
          } else if (m.type === 'compiled') armItem();
          else if (m.type === 'loading') arm(STARTUP_MS, notStarted);
          else if (m.type === 'item') {
            received++;
            onItem(m.index, m.result);
            armItem();
          } else if (m.type === 'done') finish({ kind: 'done', problem: m.problem });
          else finish({ kind: 'failed', message: m.message });
        },
        fail: (reason) => finish({ kind: 'crash', reason, began }),
      };
      arm(STARTUP_MS, notStarted);
      port.hold(true);
      port.post({ type: 'job', id, job, clock: buffer });
    });
  }
}

/** Every sandbox thread of this JavaScript context, within the memory budget. */
class SandboxPool {
  private readonly slots = new Map<number, SandboxSlot>();
  private waiters: (() => void)[] = [];
  /** The most memory cap live threads have held at once. */
  peakBytes = 0;

  constructor(readonly spawn: SpawnSandbox) {}

  slot(limits: SandboxLimits): SandboxSlot {
    const cap = moduleCapBytes(limits.memoryLimitBytes);
    let slot = this.slots.get(cap);
    if (!slot) this.slots.set(cap, (slot = new SandboxSlot(cap, limits.memoryLimitBytes, this)));
    return slot;
  }

  /** Caps of the threads running or about to start. */
  get liveBytes(): number {
    let sum = 0;
    for (const s of this.slots.values()) if (s.holdsBudget) sum += s.capBytes;
    return sum;
  }

  get liveThreads(): number {
    return [...this.slots.values()].filter((s) => s.live).length;
  }

  /** Wait until `slot` can start a thread within the budget, ending idle threads (least recently used) to make room. */
  async reserve(slot: SandboxSlot): Promise<void> {
    while (this.liveBytes + slot.capBytes > memoryBudget) {
      const idle = [...this.slots.values()].filter((s) => s !== slot && s.holdsBudget && s.idle).sort((a, b) => a.lastUsed - b.lastUsed)[0];
      if (idle) idle.release();
      else await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    slot.holdsBudget = true; // in the same tick as the check: concurrent reservations see it
    this.peakBytes = Math.max(this.peakBytes, this.liveBytes);
  }

  /** A job ended or a thread went away: waiting reservations look again. */
  changed(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  releaseAll(): void {
    for (const s of this.slots.values()) if (s.idle) s.release();
  }
}

// A variable specifier: bundlers leave the import alone, so node:worker_threads never reaches the browser bundle.
const NODE_SANDBOX = './sandbox-node.ts';
type NodeSandbox = typeof import('./sandbox-node.ts');

function spawnWebSandbox(events: SandboxPortEvents): SandboxPort {
  const worker = new Worker(new URL('./sandbox-worker.ts', import.meta.url), { type: 'module', name: 'sandbox' });
  worker.onmessage = (e: MessageEvent<FromSandbox>) => events.message(e.data);
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    events.fail(e.message || 'its script did not load');
  };
  return { post: (m) => worker.postMessage(m), terminate: () => worker.terminate(), hold: () => {} };
}

async function findSpawner(): Promise<SpawnSandbox | null> {
  const g = globalThis as { process?: { versions?: { node?: string } }; Worker?: unknown };
  if (typeof g.process?.versions?.node === 'string') {
    try {
      return ((await import(/* @vite-ignore */ NODE_SANDBOX)) as NodeSandbox).spawnSandboxThread;
    } catch {
      return null;
    }
  }
  return typeof g.Worker === 'function' ? spawnWebSandbox : null;
}

let pool: Promise<SandboxPool | null> | null = null;

/** The context's sandbox threads, or null where none can run (the engine then runs in the caller's thread). */
export function sandboxPool(): Promise<SandboxPool | null> {
  pool ??= findSpawner().then((spawn) => (spawn ? new SandboxPool(spawn) : null));
  return pool;
}

/** Threads cannot start here: stop trying for the rest of this context's life, and say so once. */
export function markSandboxThreadsUnavailable(reason: string): void {
  pool = Promise.resolve(null);
  console.warn(`reward code runs without a hard deadline: ${reason}`);
}

/** Live threads and the memory caps they hold (for tests and diagnostics). */
export async function sandboxThreadStats(): Promise<{ threads: number; capBytes: number; peakCapBytes: number }> {
  const p = await sandboxPool();
  return { threads: p?.liveThreads ?? 0, capBytes: p?.liveBytes ?? 0, peakCapBytes: p?.peakBytes ?? 0 };
}

/** End every idle sandbox thread now. */
export async function releaseSandboxThreads(): Promise<void> {
  (await sandboxPool())?.releaseAll();
}

export type { SandboxPool, SandboxSlot };
