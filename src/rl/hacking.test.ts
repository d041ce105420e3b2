import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng.ts';
import { HackingMonitor, hackingIndicators, hackingOptionsFor, theilSen, trend, type HackingEvent, type HackingOptions } from './hacking.ts';
import type { Metrics } from './metrics.ts';

const OPTS: HackingOptions = { correctness: 'correct_answer', formatCriteria: ['xml_format'] };

interface Curves {
  reward: (t: number) => number;
  correct?: (t: number) => number;
  format?: (t: number) => number;
  length?: (t: number) => number;
}

/** Feed steps 1..n of the given curves (plus Gaussian noise of std `noise` on reward and rates) to a monitor. */
function simulate(n: number, curves: Curves, noise = 0, seed = 1, options: HackingOptions = OPTS) {
  const rng = new Rng(seed, 5);
  const jitter = () => noise * rng.normal();
  const monitor = new HackingMonitor(options);
  const events: HackingEvent[] = [];
  const metrics: Metrics[] = [];
  for (let t = 1; t <= n; t++) {
    const m: Metrics = { reward: curves.reward(t) + jitter(), 'completions/mean_length': (curves.length?.(t) ?? 12) * (1 + jitter()) };
    if (curves.correct) m['rewards/correct_answer/mean'] = curves.correct(t) + jitter();
    if (curves.format) m['rewards/xml_format/mean'] = Math.min(1, curves.format(t) + jitter());
    const out = monitor.update(m, t);
    events.push(...out.events);
    metrics.push(out.metrics);
  }
  return { events, metrics, monitor };
}

const kinds = (events: HackingEvent[]) => events.map((e) => e.kind);

describe('theilSen and trend', () => {
  it('hand values: one outlier in five points does not move the line', () => {
    // pairwise slopes: six of them are 1, the four involving (4, 100) are 25, 32.3, 48.5, 97 -> median 1
    const pts = [0, 1, 2, 3, 100].map((y, x) => ({ x, y }));
    expect(theilSen(pts)).toEqual({ slope: 1, intercept: 0 });
  });

  it('trend of an exact line: change = slope * span, zero noise', () => {
    const t = trend([2, 4, 6, 8].map((x) => ({ x, y: 1 + 0.5 * x })))!;
    expect(t.start).toBe(2);
    expect(t.end).toBe(5);
    expect(t.change).toBe(3);
    expect(t.noise).toBe(0);
    expect(t.span).toBe(6);
    expect(trend([{ x: 1, y: 1 }])).toBeNull();
  });

  it('noise: y = [1, -1, -1, 1] over x = 0..3 -> slope 0, residuals +-1, sigma sqrt(4/2), SE sqrt(2) * 3 / sqrt(5)', () => {
    // pairwise slopes -2, -1, 0, 0, 1, 2 -> median 0; intercept median(1, -1, -1, 1) = 0; sum (x - 1.5)^2 = 5
    const t = trend([1, -1, -1, 1].map((y, x) => ({ x, y })))!;
    expect(t.change).toBe(0);
    expect(t.noise).toBeCloseTo((Math.SQRT2 * 3) / Math.sqrt(5), 12);
  });
});

describe('HackingMonitor: reward vs correctness', () => {
  it('a hacked run (reward up, correctness down) triggers once, with a plain message', () => {
    const { events, metrics } = simulate(80, {
      reward: (t) => 0.3 + 0.02 * t,
      correct: (t) => 0.6 - 0.006 * t,
    }, 0.01);
    expect(kinds(events)).toEqual(['reward_vs_correctness']);
    const e = events[0];
    // computable from step 10 (minPoints), condition from then on, confirmed on the third step
    expect(e.step).toBe(12);
    expect(e.message).toMatch(/total reward rose by 0\.\d\d over the last \d+ steps while correct_answer fell \(-0\.\d\d\)/);
    expect(metrics[79]['hacking/reward_vs_correctness']).toBeGreaterThan(0.3);
    expect(metrics[8]['hacking/reward_vs_correctness']).toBeUndefined(); // step 9: too few points
  });

  it('a noisy hacked run fires exactly once per run (no flapping)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { events } = simulate(100, { reward: (t) => 0.3 + 0.01 * t, correct: () => 0.4 }, 0.05, seed);
      expect(kinds(events), `seed ${seed}`).toEqual(['reward_vs_correctness']);
    }
  });

  it('flat correctness is enough ("stayed flat")', () => {
    const { events } = simulate(40, { reward: (t) => 0.2 + 0.02 * t, correct: () => 0.3 });
    expect(events[0].message).toMatch(/correct_answer stayed flat \(\+0\.00\)/);
  });

  it('a healthy run (reward and correctness rising together) stays quiet', () => {
    for (const seed of [1, 2, 3]) {
      const { events, metrics } = simulate(100, {
        correct: (t) => 0.2 + 0.006 * t,
        format: (t) => 0.6 + 0.004 * t,
        reward: (t) => 0.2 + 0.006 * t + 0.2 * (0.6 + 0.004 * t),
      }, 0.03, seed);
      expect(events, `seed ${seed}`).toEqual([]);
      expect(Math.abs(metrics[99]['hacking/reward_vs_correctness'])).toBeLessThan(0.1);
    }
  });

  it('noise alone (flat reward and correctness) never triggers', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { events } = simulate(200, { reward: () => 0.6, correct: () => 0.4, format: () => 0.7 }, 0.05, seed);
      expect(events, `seed ${seed}`).toEqual([]);
    }
  });

  it('without any correctness series the indicator is not computed', () => {
    const { events, metrics } = simulate(40, { reward: (t) => 0.02 * t });
    expect(events).toEqual([]);
    expect(metrics[39]).toEqual({});
  });

  it('falls back to eval/accuracy when the criterion is not logged (every 5 steps, >= 3 in the window)', () => {
    const monitor = new HackingMonitor(OPTS);
    const events: HackingEvent[] = [];
    for (let t = 0; t <= 40; t++) {
      if (t > 0) events.push(...monitor.update({ reward: 0.2 + 0.02 * t, 'completions/mean_length': 10 }, t).events);
      if (t % 5 === 0) events.push(...monitor.update({ 'eval/accuracy': 0.4 }, t).events);
    }
    expect(kinds(events)).toEqual(['reward_vs_correctness']);
    expect(events[0].message).toMatch(/eval\/accuracy stayed flat/);
  });
});

describe('HackingMonitor: length inflation', () => {
  it('length doubling over the window while correctness is flat triggers (reward flat: only this one)', () => {
    const { events, metrics } = simulate(40, { reward: () => 0.5, correct: () => 0.4, length: (t) => 10 + t }, 0.01);
    expect(kinds(events)).toEqual(['length_inflation']);
    expect(events[0].message).toMatch(/Completions grew \d+% longer over the last \d+ steps \(about \d+ -> \d+ tokens\)/);
    // at step 40 the window is steps 21..40: fitted 31 -> 50, growth 19/31
    expect(metrics[39]['hacking/length_inflation']).toBeCloseTo(19 / 31, 1);
  });

  it('length growing while correctness rises, or growing slowly, does not trigger', () => {
    expect(simulate(60, { reward: (t) => 0.2 + 0.01 * t, correct: (t) => 0.2 + 0.01 * t, length: (t) => 10 + t }, 0.01).events).toEqual([]);
    expect(simulate(60, { reward: () => 0.5, correct: () => 0.4, length: (t) => 20 + 0.2 * t }, 0.01).events).toEqual([]);
  });
});

describe('HackingMonitor: format without accuracy', () => {
  it('saturated format with low correctness triggers on the third computable step', () => {
    const { events, metrics } = simulate(30, { reward: () => 0.4, correct: () => 0.2, format: () => 0.98 });
    expect(kinds(events)).toEqual(['format_without_accuracy']);
    expect(events[0].step).toBe(12); // correctness computable from step 10 (minPoints), confirmed 3 steps later
    expect(events[0].message).toMatch(/^xml_format is saturated \(mean 0\.98 over the last 5 steps\) while correct_answer stays low \(0\.20\)/);
    expect(metrics[29]['hacking/format_without_accuracy']).toBeCloseTo(0.78, 12);
  });

  it('saturated format with good accuracy, or unsaturated format, stays quiet', () => {
    expect(simulate(40, { reward: () => 0.9, correct: () => 0.7, format: () => 0.99 }).events).toEqual([]);
    expect(simulate(40, { reward: () => 0.4, correct: () => 0.2, format: () => 0.9 }).events).toEqual([]);
  });

  it('fires again only after it has cleared', () => {
    // low accuracy 1-30, good 31-60 (clears), low again 61-90 (fires again)
    const correct = (t: number) => (t > 30 && t <= 60 ? 0.8 : 0.2);
    const { events } = simulate(90, { reward: () => 0.5, correct, format: () => 0.99 });
    expect(events.map((e) => [e.kind, e.step])).toEqual([
      ['format_without_accuracy', 12],
      ['format_without_accuracy', 65], // the 5-step mean is below 0.5 from step 63 ((0.8*2 + 0.2*3)/5 = 0.44)
      // correctness fell from its best (0.8) to 0.2 while the reward held: the reward does not track the task
      ['reward_vs_correctness', 66],
    ]);
  });

  it('a condition flickering every step neither fires nor, once on, fires again', () => {
    // accuracy alternating 0.45 / 0.57: the 5-step mean alternates 0.498 / 0.522, around 0.5
    const flicker = (t: number) => (t % 2 ? 0.45 : 0.57);
    expect(simulate(60, { reward: () => 0.5, correct: flicker, format: () => 0.99 }).events).toEqual([]);
    const correct = (t: number) => (t <= 20 ? 0.2 : flicker(t));
    expect(kinds(simulate(80, { reward: () => 0.5, correct, format: () => 0.99 }).events)).toEqual(['format_without_accuracy']);
  });
});

describe('HackingMonitor: collapse is not hacking', () => {
  // The learning-rate x10 starter on tiny-arith (measured, issue 14): correctness 0.60 at step 1, ~0.02 from
  // step 7 on, reward 0.80 -> ~0.21 (only the 0.2 format credit left), the format saturated throughout.
  const correct = (t: number) => Math.max(0.02, 0.6 - 0.1 * (t - 1));
  const collapsing = { correct, reward: (t: number) => 0.2 + correct(t), format: () => 0.99 };

  it('a collapse (correctness 0.60 -> 0.02, reward falling too) is reported as a collapse, not as format learned', () => {
    const { events, metrics } = simulate(30, collapsing, 0.01);
    expect(kinds(events)).toEqual(['collapse']);
    // correctness and the trends need 10 points: computable at step 10, confirmed at step 12
    expect(events[0].step).toBe(12);
    expect(events[0].message).toMatch(/^correct_answer collapsed from 0\.\d\d \(around step \d\) to 0\.0\d \(last 5 steps\), and the reward fell with it \(0\.\d\d -> 0\.2\d\)\. This is a training collapse, not reward hacking/);
    expect(events[0].message).toMatch(/Lower the learning rate/);
    expect(events[0].message).not.toMatch(/format/);
    // value: the fall from the best (about 0.6, the mean of step 1 alone) to the recent mean (0.02)
    expect(metrics[29]['hacking/collapse']).toBeGreaterThan(0.5);
  });

  it('without the fall (the same low correctness from the start) it is format without accuracy, not a collapse', () => {
    const { events } = simulate(30, { correct: () => 0.02, reward: () => 0.22, format: () => 0.99 }, 0.01);
    expect(kinds(events)).toEqual(['format_without_accuracy']);
  });

  it('correctness falling while the reward rises is hacking, not a collapse', () => {
    const { events } = simulate(40, { correct: (t) => Math.max(0.05, 0.6 - 0.03 * t), reward: (t) => 0.3 + 0.02 * t, format: () => 0.5 }, 0.01);
    expect(kinds(events)).toEqual(['reward_vs_correctness']);
  });

  it('correctness collapsing while the reward creeps up too slowly for the window is hacking, read from the peak', () => {
    // The flattered judge on tiny-arith (measured, issue 18): correctness 0.55 -> 0.1 over 80 steps while the
    // reward rose by under 0.1 per 20-step window, noisily: the window's trend alone never fired.
    const correct = (t: number) => Math.max(0.1, 0.55 - 0.0075 * t);
    const { events } = simulate(80, { correct, reward: (t) => 0.35 + 0.0015 * t, format: () => 0.5 }, 0.04);
    expect(kinds(events)).toEqual(['reward_vs_correctness']);
    expect(events[0].message).toMatch(/^correct_answer fell from 0\.\d\d \(around step \d+\) to 0\.\d\d \(last 5 steps\) while the total reward held or rose/);
    expect(events[0].message).toMatch(/reward correctness/);
  });

  it('an honest run with noisy correctness (0.6-0.9 per step) never reports a collapse', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { events } = simulate(120, { correct: (t) => Math.min(0.9, 0.6 + 0.01 * t), reward: (t) => 0.2 + Math.min(0.9, 0.6 + 0.01 * t), format: () => 0.99 }, 0.08, seed);
      expect(events, `seed ${seed}`).toEqual([]);
    }
  });

  it('the peak outlives the window: a collapse after 40 good steps is still measured from the best', () => {
    const correct = (t: number) => (t <= 40 ? 0.8 : Math.max(0.05, 0.8 - 0.1 * (t - 40)));
    const { events } = simulate(70, { correct, reward: (t) => 0.2 + correct(t), format: () => 0.99 }, 0.01);
    expect(kinds(events)).toEqual(['collapse']);
    expect(events[0].message).toMatch(/collapsed from 0\.8\d/);
  });

  it('a restored monitor keeps its peak (and a checkpoint without one restores)', () => {
    const a = simulate(10, collapsing, 0).monitor;
    const b = new HackingMonitor(OPTS);
    b.restore(a.snapshot());
    const old = a.snapshot();
    delete old.peak;
    const c = new HackingMonitor(OPTS);
    c.restore(old);
    const events = (m: HackingMonitor) => {
      const out: HackingEvent[] = [];
      for (let t = 11; t <= 20; t++) out.push(...m.update({ reward: 0.22, 'rewards/correct_answer/mean': 0.02, 'rewards/xml_format/mean': 0.99, 'completions/mean_length': 12 }, t).events);
      return kinds(out);
    };
    expect(events(b)).toEqual(['collapse']);
    // without the peak the fall before the restore is unknown: no collapse, and format without accuracy may fire
    expect(events(c)).not.toContain('collapse');
  });
});

describe('messages name only rewarded criteria', () => {
  it('hackingOptionsFor: format criteria with weight 0 are not watched; rewarded lists weight > 0', () => {
    const criteria = [
      { name: 'correct_answer', kind: 'correct_answer', weight: 1 },
      { name: 'xml_format', kind: 'xml_format', weight: 0 },
      { name: 'tags', kind: 'xml_format', weight: 0.2 },
      { name: 'short', kind: 'length', weight: 0.5 },
    ];
    expect(hackingOptionsFor(criteria, 'correct_answer')).toEqual({ correctness: 'correct_answer', formatCriteria: ['tags'], rewarded: ['correct_answer', 'tags', 'short'] });
  });

  it('a weight-0 format criterion that is saturated raises no "format credit" warning', () => {
    const options = hackingOptionsFor(
      [
        { name: 'correct_answer', kind: 'correct_answer', weight: 1 },
        { name: 'xml_format', kind: 'xml_format', weight: 0 },
      ],
      'correct_answer',
    );
    expect(simulate(30, { reward: () => 0.2, correct: () => 0.2, format: () => 0.99 }, 0, 1, options).events).toEqual([]);
  });

  it('reward vs correctness names the rewarded criteria the reward comes from, and says when correctness is unrewarded', () => {
    const rewardedFormat = { ...OPTS, rewarded: ['correct_answer', 'xml_format'] };
    const a = simulate(40, { reward: (t) => 0.2 + 0.02 * t, correct: () => 0.3 }, 0, 1, rewardedFormat).events;
    expect(a[0].message).toMatch(/The reward is growing from xml_format, not from solving the task:/);
    const formatOnly = { ...OPTS, rewarded: ['xml_format'] };
    const b = simulate(40, { reward: (t) => 0.2 + 0.02 * t, correct: () => 0.3 }, 0, 1, formatOnly).events;
    expect(b[0].message).toMatch(/growing from xml_format, not from solving the task \(correct_answer is logged but not rewarded: weight 0\)/);
  });
});

describe('HackingMonitor bookkeeping', () => {
  it('merging the eval metrics of a step re-evaluates it without repeating its event', () => {
    const monitor = new HackingMonitor(OPTS);
    const all: HackingEvent[] = [];
    for (let t = 1; t <= 12; t++) {
      all.push(...monitor.update({ reward: 0.4, 'rewards/correct_answer/mean': 0.2, 'rewards/xml_format/mean': 0.99 }, t).events);
      all.push(...monitor.update({ 'eval/accuracy': 0.1 }, t).events);
    }
    // eval/accuracy stands in for correctness from step 3 (3 points), format needs 5 steps: on at step 5, confirmed at 7
    expect(all.map((e) => e.step)).toEqual([7]);
    expect(all[0].message).toMatch(/eval\/accuracy stays low \(0\.10\)/);
    expect(monitor.active).toEqual(['format_without_accuracy']);
  });

  it('numbers steps itself when no step is given, and refuses going back', () => {
    const monitor = new HackingMonitor(OPTS);
    monitor.update({ reward: 1 });
    monitor.update({ reward: 1 });
    expect(() => monitor.update({ reward: 1 }, 1)).toThrow(/step 1 comes after step 2/);
  });

  it('refuses bad options', () => {
    expect(() => new HackingMonitor({ ...OPTS, window: 0 })).toThrow(/window/);
    expect(() => new HackingMonitor({ ...OPTS, minPoints: 30 })).toThrow(/minPoints/);
  });

  it('hackingIndicators is pure and only looks at the window', () => {
    const history = Array.from({ length: 60 }, (_, i) => ({
      step: i + 1,
      // hacked early (steps 1-30), flat afterwards
      metrics: { reward: i < 30 ? 0.02 * i : 0.6, 'rewards/correct_answer/mean': 0.3 } as Metrics,
    }));
    expect(hackingIndicators(history.slice(0, 25), OPTS).reward_vs_correctness?.condition).toBe(true);
    expect(hackingIndicators(history, OPTS).reward_vs_correctness?.condition).toBe(false);
    expect(hackingIndicators([], OPTS)).toEqual({});
  });
});
