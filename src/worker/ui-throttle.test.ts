// The throttling rule with a fake clock: at most one metrics message per 100 ms and one rollouts message per
// 500 ms, latest step wins, rollouts built only when sent and always after their step's metrics, trailing
// timers, and a flush before any unthrottled message.
import { describe, expect, it } from 'vitest';
import type { StepRollouts, WorkerToUi } from './protocol.ts';
import { METRICS_INTERVAL_MS, ROLLOUTS_INTERVAL_MS, UiThrottle, type Clock } from './ui-throttle.ts';

/** A clock whose time moves only when told; timers fire from `advance`. */
class FakeClock implements Clock {
  time = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, t] of [...this.timers].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.time && this.timers.delete(id)) t.fn();
    }
  }
  get pending(): number {
    return this.timers.size;
  }
}

function setup() {
  const clock = new FakeClock();
  const sent: WorkerToUi[] = [];
  const throttle = new UiThrottle((m) => sent.push(m), clock);
  let builds = 0;
  const step = (s: number) => {
    throttle.metrics([{ type: 'metrics', step: s, metrics: { reward: s } }, { type: 'sample', step: s, prompt: 'p', completion: 'c', reward: s }]);
    throttle.rollouts((): StepRollouts => {
      builds++;
      return { step: s, groups: [], criteria: [] };
    });
  };
  const steps = (type: 'metrics' | 'rollouts' | 'sample') =>
    sent.flatMap((m) => (m.type === type ? [m.type === 'rollouts' ? m.rollouts.step : m.step] : []));
  return { clock, sent, throttle, step, steps, builds: () => builds };
}

describe('UiThrottle', () => {
  it('a fast run (one step per 10 ms for 2 s) sends at most ~10 metrics and ~2 rollouts per second', () => {
    const { clock, throttle, step, steps, builds, sent } = setup();
    for (let s = 1; s <= 200; s++) {
      step(s);
      clock.advance(10);
    }
    const metricsSent = steps('metrics').length;
    const rolloutsSent = steps('rollouts').length;
    expect(metricsSent).toBeLessThanOrEqual(2000 / METRICS_INTERVAL_MS + 1);
    expect(metricsSent).toBeGreaterThanOrEqual(2000 / METRICS_INTERVAL_MS - 1);
    expect(rolloutsSent).toBeLessThanOrEqual(2000 / ROLLOUTS_INTERVAL_MS + 1);
    expect(rolloutsSent).toBeGreaterThanOrEqual(2000 / ROLLOUTS_INTERVAL_MS - 1);
    expect(builds()).toBe(rolloutsSent); // built only when sent
    expect(steps('sample')).toEqual(steps('metrics')); // a step's sample travels with its metrics
    // Steps only go forward, and each rollouts message follows its own step's metrics.
    const metricsSteps = steps('metrics');
    expect(metricsSteps).toEqual([...metricsSteps].sort((a, b) => a - b));
    sent.forEach((m, i) => {
      if (m.type !== 'rollouts') return;
      const before = sent.slice(0, i).findLast((x) => x.type === 'metrics');
      expect(before?.type === 'metrics' && before.step).toBe(m.rollouts.step);
    });
    // Before a pause or the end, the last step always goes out.
    throttle.now({ type: 'status', state: 'paused', message: 'Paused at step 200' });
    expect(steps('metrics').at(-1)).toBe(200);
    expect(steps('rollouts').at(-1)).toBe(200);
    expect(sent.at(-1)).toEqual({ type: 'status', state: 'paused', message: 'Paused at step 200' });
    expect(clock.pending).toBe(0);
  });

  it('slow steps (longer than both intervals) are all sent at once, metrics then rollouts', () => {
    const { clock, step, sent } = setup();
    for (let s = 1; s <= 3; s++) {
      step(s);
      clock.advance(ROLLOUTS_INTERVAL_MS + 1);
    }
    const label = (m: WorkerToUi) => `${m.type}:${m.type === 'rollouts' ? m.rollouts.step : 'step' in m ? m.step : ''}`;
    expect(sent.map(label)).toEqual([
      'metrics:1', 'sample:1', 'rollouts:1', 'metrics:2', 'sample:2', 'rollouts:2', 'metrics:3', 'sample:3', 'rollouts:3',
    ]);
  });

  it('a held step goes out from its timer when no newer step comes', () => {
    const { clock, step, steps } = setup();
    step(1); // sent at once
    clock.advance(20);
    step(2); // held: metrics due at 100 ms, rollouts at 500 ms
    expect(steps('metrics')).toEqual([1]);
    clock.advance(79);
    expect(steps('metrics')).toEqual([1]);
    clock.advance(1);
    expect(steps('metrics')).toEqual([1, 2]);
    expect(steps('rollouts')).toEqual([1]);
    clock.advance(400);
    expect(steps('rollouts')).toEqual([1, 2]);
    expect(clock.pending).toBe(0);
  });
});
