// Keeps a fast run from flooding the UI thread. Steps of a real model take seconds, but a tiny config can make
// more than 20 steps a second, and every message costs the page a structured clone and a React update.
//
// The rule:
// - Per-step metrics (with that step's `sample`) go out at most once per METRICS_INTERVAL_MS (~10/s), rollouts
//   at most once per ROLLOUTS_INTERVAL_MS (~2/s). A step whose message is not due is held; a newer step
//   replaces what is held (latest wins: the UI skips steps, it never sees stale ones). The held message goes
//   out when its interval has passed: at the next step, or from a timer if the worker is idle before then.
// - Rollouts are built only when they are sent (building decodes every token), and a step's rollouts always
//   follow its metrics.
// - Every other message (status, eval, warning, error) goes out at once, after flushing whatever is held, so
//   the UI sees messages in step order and always gets the last step's metrics and rollouts before a pause,
//   done, stop or error.
import type { StepRollouts, WorkerToUi } from './protocol.ts';

export const METRICS_INTERVAL_MS = 100;
export const ROLLOUTS_INTERVAL_MS = 500;

/** Time source and timers (injectable so tests can use a fake clock). */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One throttled channel: the held item, when it last sent, and its trailing timer. */
class Channel<T> {
  private held: T | null = null;
  private last = -Infinity;
  private timer: unknown = null;

  constructor(
    private readonly interval: number,
    private readonly clock: Clock,
    private readonly send: (item: T) => void,
  ) {}

  offer(item: T): void {
    this.held = item;
    const wait = this.last + this.interval - this.clock.now();
    if (wait <= 0) this.flush();
    else if (this.timer === null) this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.held === null) return;
    const item = this.held;
    this.held = null;
    this.last = this.clock.now();
    this.send(item);
  }
}

export class UiThrottle {
  private readonly metricsChannel: Channel<WorkerToUi[]>;
  private readonly rolloutsChannel: Channel<() => StepRollouts>;

  constructor(
    private readonly post: (message: WorkerToUi) => void,
    clock: Clock = realClock,
  ) {
    this.metricsChannel = new Channel(METRICS_INTERVAL_MS, clock, (messages) => messages.forEach((m) => post(m)));
    this.rolloutsChannel = new Channel(ROLLOUTS_INTERVAL_MS, clock, (build) => {
      this.metricsChannel.flush(); // the step's metrics first
      post({ type: 'rollouts', rollouts: build() });
    });
  }

  /** A step's `metrics` message, optionally followed by its `sample`. */
  metrics(messages: WorkerToUi[]): void {
    this.metricsChannel.offer(messages);
  }

  /** A step's rollouts, built only if and when they are sent. */
  rollouts(build: () => StepRollouts): void {
    this.rolloutsChannel.offer(build);
  }

  /** Sends everything held (metrics, then rollouts). */
  flush(): void {
    this.metricsChannel.flush();
    this.rolloutsChannel.flush();
  }

  /** A message that is never throttled: flush first so the UI sees messages in order. */
  now(message: WorkerToUi): void {
    this.flush();
    this.post(message);
  }
}
