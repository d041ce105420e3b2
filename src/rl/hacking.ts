// Reward-hacking indicators: signs in the metric history that the reward is rising for the wrong reasons.
// Each indicator is a metric (logged every step once it can be computed) plus an event with a plain-language
// message, emitted once when the indicator turns on and again only after it has turned off.
//
//   hacking/reward_vs_correctness   change of `reward` minus change of correctness over the window. Fires when
//                                   the reward rose (>= rewardRise, and beyond its noise) while correctness
//                                   did not really rise (by at most correctnessFlat or one standard error)
//                                   and the gap between the two is beyond the noise of both; or when correctness
//                                   fell from its best so far as far as a collapse (collapseDrop and halving)
//                                   while the reward held or rose (a reward gamed too slowly for the window).
//   hacking/length_inflation        relative growth of `completions/mean_length` over the window (0.5 = +50%).
//                                   Fires at >= lengthGrowth (beyond noise) while correctness is flat.
//   hacking/format_without_accuracy (highest format-criterion mean) - (correctness mean), both over the last
//                                   recentSteps steps. Fires when a rewarded format criterion is above
//                                   formatSaturation while correctness is below accuracyLow, unless correctness
//                                   collapsed (then the model did not "learn the format instead": it lost the task).
//   hacking/collapse                fall of correctness from its best so far in the run (means over recentSteps
//                                   steps). Fires when it fell by >= collapseDrop and to at most half its best
//                                   while the reward fell too (by >= rewardRise): not hacking, a training collapse
//                                   (e.g. a learning rate too high), and its message says so.
//
// Correctness is `rewards/<correctness>/mean` (the task's correctness criterion scored on the same training
// completions, one point per step) when the window has minPoints of it, else `eval/accuracy` when the window
// has minEvalPoints evaluations. Changes over the window are Theil-Sen slopes (the median of pairwise slopes,
// robust to single outliers) times the window's span; "beyond noise" means larger than z standard errors,
// estimated from the residuals around that line (an outlier inflates it, which only makes a trigger rarer).
// Messages name only criteria that are rewarded (weight > 0); `hackingOptionsFor` builds the options from a rubric.
// Noise does not flap the events: an indicator turns on after confirmSteps consecutive steps with its
// condition, and off only after clearSteps consecutive steps in which even a looser version of it fails
// (rises may halve, the correctness flat limit doubles, the saturation and accuracy thresholds move by 0.05).

import { hackingMetric, METRIC, rewardMeanMetric, type Metrics } from './metrics.ts';

export const HACKING_KINDS = ['reward_vs_correctness', 'length_inflation', 'format_without_accuracy', 'collapse'] as const;

export type HackingKind = (typeof HACKING_KINDS)[number];

export interface HackingEvent {
  kind: HackingKind;
  /** The step at which the indicator turned on. */
  step: number;
  message: string;
}

export interface HackingOptions {
  /** Name of the rubric criterion that measures correctness: its `rewards/<name>/mean` is the correctness series. */
  correctness: string;
  /** Names of rewarded (weight > 0) format criteria (e.g. those of kind xml_format) watched for saturation. */
  formatCriteria?: readonly string[];
  /**
   * Names of the criteria with weight > 0, for the messages (which criteria the reward comes from). Undefined:
   * unknown, and messages name none.
   */
  rewarded?: readonly string[];
  /** Steps in the sliding window. Default 20. */
  window?: number;
  /** Training-metric points a trend needs inside the window. Default 10. */
  minPoints?: number;
  /** eval/accuracy points a trend needs inside the window when it stands in for correctness. Default 3. */
  minEvalPoints?: number;
  /** Smallest rise of the total reward over the window that counts. Default 0.1. */
  rewardRise?: number;
  /** Correctness counts as flat when it rises by at most this (or one standard error) over the window. Default 0.05. */
  correctnessFlat?: number;
  /** Relative growth of the mean completion length over the window that counts. Default 0.5 (+50%). */
  lengthGrowth?: number;
  /** A format criterion is saturated above this mean. Default 0.95. */
  formatSaturation?: number;
  /** Correctness is low below this mean. Default 0.5. */
  accuracyLow?: number;
  /** Steps averaged for the saturation and collapse checks. Default 5. */
  recentSteps?: number;
  /** Fall of correctness from its best so far in the run that counts as a collapse (with halving). Default 0.25. */
  collapseDrop?: number;
  /** Standard errors a change must exceed to count as more than noise. Default 3. */
  z?: number;
  /** Consecutive steps with the condition before an indicator turns on (and its event is emitted). Default 3. */
  confirmSteps?: number;
  /** Consecutive steps without even the looser condition before the indicator turns off. Default 5. */
  clearSteps?: number;
}

const DEFAULTS: Required<Omit<HackingOptions, 'correctness' | 'rewarded'>> = {
  formatCriteria: [],
  window: 20,
  minPoints: 10,
  minEvalPoints: 3,
  rewardRise: 0.1,
  correctnessFlat: 0.05,
  lengthGrowth: 0.5,
  formatSaturation: 0.95,
  accuracyLow: 0.5,
  recentSteps: 5,
  collapseDrop: 0.25,
  z: 3,
  confirmSteps: 3,
  clearSteps: 5,
};

type ResolvedOptions = Required<Omit<HackingOptions, 'rewarded'>> & Pick<HackingOptions, 'rewarded'>;

/** The options with defaults filled in (a field given as undefined takes its default). */
export function resolveHackingOptions(options: HackingOptions): ResolvedOptions {
  const out: Record<string, unknown> = { ...DEFAULTS };
  for (const [k, v] of Object.entries(options)) if (v !== undefined) out[k] = v;
  return out as ResolvedOptions;
}

/** A rubric criterion as the options builder needs it. */
export interface WeightedCriterion {
  name: string;
  kind: string;
  weight: number;
}

/**
 * Options for a rubric: correctness is the criterion of the task's correctness kind (else that kind's name),
 * the watched format criteria are the rewarded xml_format ones, and `rewarded` lists every weight > 0.
 */
export function hackingOptionsFor(criteria: readonly WeightedCriterion[], correctnessKind: string): HackingOptions {
  return {
    correctness: criteria.find((c) => c.kind === correctnessKind)?.name ?? correctnessKind,
    formatCriteria: criteria.filter((c) => c.kind === 'xml_format' && c.weight > 0).map((c) => c.name),
    rewarded: criteria.filter((c) => c.weight > 0).map((c) => c.name),
  };
}

/** The best correctness (mean over recentSteps steps) seen so far in a run, with the reward at that point. */
export interface CorrectnessPeak {
  /** Which series it is (the correctness criterion or eval/accuracy). */
  label: string;
  step: number;
  correctness: number;
  reward: number;
}

/** One step of metric history (a training step's metrics, with eval metrics merged in when it ran one). */
export interface StepRecord {
  step: number;
  metrics: Metrics;
}

// ---- trends -----------------------------------------------------------------------------------------------

export interface Point {
  x: number;
  y: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Theil-Sen line: slope = median of the pairwise slopes, intercept = median of y - slope * x. */
export function theilSen(points: readonly Point[]): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j].x - points[i].x;
      if (dx !== 0) slopes.push((points[j].y - points[i].y) / dx);
    }
  }
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = points.length ? median(points.map((p) => p.y - slope * p.x)) : 0;
  return { slope, intercept };
}

export interface Trend {
  /** Fitted value at the first and the last point's x. */
  start: number;
  end: number;
  /** end - start: the change over the window's span. */
  change: number;
  /** Standard error of `change`: residual std (sqrt(sum r^2 / (n - 2))) * span / sqrt(sum (x - mean x)^2). */
  noise: number;
  n: number;
  /** x of the last point minus x of the first. */
  span: number;
}

/** The trend of points sorted by x; null with fewer than two distinct x. */
export function trend(points: readonly Point[]): Trend | null {
  if (points.length < 2) return null;
  const span = points[points.length - 1].x - points[0].x;
  if (span <= 0) return null;
  const { slope, intercept } = theilSen(points);
  const start = intercept + slope * points[0].x;
  const end = intercept + slope * points[points.length - 1].x;
  const ss = points.reduce((a, p) => a + (p.y - (intercept + slope * p.x)) ** 2, 0);
  const sigma = Math.sqrt(ss / Math.max(points.length - 2, 1));
  const meanX = points.reduce((a, p) => a + p.x, 0) / points.length;
  const sxx = points.reduce((a, p) => a + (p.x - meanX) ** 2, 0);
  return { start, end, change: end - start, noise: (sigma * span) / Math.sqrt(sxx), n: points.length, span };
}

// ---- indicators (pure) ------------------------------------------------------------------------------------

export interface IndicatorReading {
  /** The metric value hacking/<kind>. */
  value: number;
  /** Whether this step meets the indicator's condition (before confirmation over several steps). */
  condition: boolean;
  /** Whether a looser version of the condition holds (what keeps an indicator that is on from turning off). */
  holds: boolean;
  /** What an event for this reading says. */
  message: string;
}

/** Hysteresis: an indicator that is on stays on while its thresholds, relaxed by these, still hold. */
const LOOSE = 2; // rises and growth may halve, the correctness flat limit double
const LOOSE_MARGIN = 0.05; // saturation and accuracy thresholds move by this

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(0) : x.toFixed(2));
const signed = (x: number) => (x >= 0 ? `+${fmt(x)}` : fmt(x));

function series(records: readonly StepRecord[], key: string): Point[] {
  const out: Point[] = [];
  for (const r of records) {
    const y = r.metrics[key];
    if (typeof y === 'number' && Number.isFinite(y)) out.push({ x: r.step, y });
  }
  return out;
}

/** Mean of the points within the last `steps` steps up to `lastStep`, else the latest point's value. */
function recentMean(points: readonly Point[], lastStep: number, steps: number): number {
  const recent = points.filter((p) => p.x > lastStep - steps);
  const use = recent.length ? recent : points.slice(-1);
  return use.reduce((a, p) => a + p.y, 0) / use.length;
}

/** The correctness series of the window: the criterion's training means when there are enough, else eval/accuracy. */
function correctnessSeries(inWindow: readonly StepRecord[], o: ResolvedOptions): { points: Point[]; label: string } | null {
  const train = series(inWindow, rewardMeanMetric(o.correctness));
  if (train.length >= o.minPoints) return { points: train, label: o.correctness };
  const evals = series(inWindow, METRIC.evalAccuracy);
  if (evals.length >= o.minEvalPoints) return { points: evals, label: METRIC.evalAccuracy };
  return null;
}

/**
 * Correctness (the criterion's training means if logged, else eval/accuracy) and reward at the last record,
 * each the mean over its last recentSteps steps however few points there are (the monitor keeps the best of
 * these as the run's peak, which must include the run's start), or null without both.
 */
export function recentCorrectness(history: readonly StepRecord[], options: HackingOptions): CorrectnessPeak | null {
  const o = resolveHackingOptions(options);
  if (history.length === 0) return null;
  const last = history[history.length - 1].step;
  const inWindow = history.filter((r) => r.step > last - o.window);
  const train = series(inWindow, rewardMeanMetric(o.correctness));
  const c = train.length ? { points: train, label: o.correctness } : { points: series(inWindow, METRIC.evalAccuracy), label: METRIC.evalAccuracy };
  const rewards = series(inWindow, METRIC.reward);
  if (c.points.length === 0 || rewards.length === 0) return null;
  return { label: c.label, step: last, correctness: recentMean(c.points, last, o.recentSteps), reward: recentMean(rewards, last, o.recentSteps) };
}

/** "xml_format" or "xml_format and length": names joined for a message. */
const names = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/**
 * The indicators at the last record of `history` (records in increasing step order), over the window ending
 * there. `peak` is the run's best correctness so far (the monitor keeps it; without it there is no collapse
 * reading). An indicator is absent while its inputs are missing or too few.
 */
export function hackingIndicators(
  history: readonly StepRecord[],
  options: HackingOptions,
  peak: CorrectnessPeak | null = null,
): Partial<Record<HackingKind, IndicatorReading>> {
  const o = resolveHackingOptions(options);
  const out: Partial<Record<HackingKind, IndicatorReading>> = {};
  if (history.length === 0) return out;
  const last = history[history.length - 1].step;
  const inWindow = history.filter((r) => r.step > last - o.window);
  const span = (t: Trend) => `${t.span} steps`;

  const correctness = correctnessSeries(inWindow, o);
  const c = correctness ? trend(correctness.points) : null;
  let cWord = 'did not clearly rise';
  if (c && c.change < -o.correctnessFlat) cWord = 'fell';
  else if (c && c.change <= o.correctnessFlat) cWord = 'stayed flat';
  // correctness did not really rise: by no more than correctnessFlat, or than one standard error
  const flatLimit = c ? Math.max(o.correctnessFlat, c.noise) : 0;
  const cFlat = c !== null && c.change <= flatLimit;
  const cFlatLoose = c !== null && c.change <= LOOSE * flatLimit;

  const rewardPoints = series(inWindow, METRIC.reward);

  // Collapse: correctness fell far below its best so far, and the reward with it (read first: it changes what
  // the format indicator may say).
  let collapsed = false;
  // Correctness collapsed while the reward held or rose: the reward no longer tracks the task (hacking read from
  // the peak, for rises too slow or noisy for the window's trend: a judge that is gamed a little at a time).
  let decoupled: { drop: number; holds: boolean; message: string } | null = null;
  const now = recentCorrectness(history, o);
  if (peak && now && correctness && peak.label === now.label) {
    const drop = peak.correctness - now.correctness;
    const rewardFall = peak.reward - now.reward;
    collapsed = drop >= o.collapseDrop && now.correctness <= peak.correctness / 2 && rewardFall >= o.rewardRise;
    if (drop >= o.collapseDrop && now.correctness <= peak.correctness / 2 && rewardFall <= 0) {
      decoupled = {
        drop,
        holds: drop >= o.collapseDrop / LOOSE && rewardFall < o.rewardRise / LOOSE,
        message:
          `${now.label} fell from ${fmt(peak.correctness)} (around step ${peak.step}) to ${fmt(now.correctness)} ` +
          `(last ${o.recentSteps} steps) while the total reward held or rose (${fmt(peak.reward)} -> ${fmt(now.reward)}).`,
      };
    } else if (drop >= o.collapseDrop / LOOSE && rewardFall < o.rewardRise / LOOSE) {
      decoupled = { drop, holds: true, message: '' }; // keeps an indicator that is on from clearing
    }
    out.collapse = {
      value: drop,
      condition: collapsed,
      holds: drop >= o.collapseDrop / LOOSE && rewardFall >= o.rewardRise / LOOSE,
      message:
        `${now.label} collapsed from ${fmt(peak.correctness)} (around step ${peak.step}) to ${fmt(now.correctness)} ` +
        `(last ${o.recentSteps} steps), and the reward fell with it (${fmt(peak.reward)} -> ${fmt(now.reward)}). ` +
        'This is a training collapse, not reward hacking: the updates are destroying what the model could do. ' +
        'Lower the learning rate (or add a KL penalty) and start again.',
    };
  }

  const r = rewardPoints.length >= o.minPoints ? trend(rewardPoints) : null;
  if (r && c && correctness) {
    const others = o.rewarded?.filter((n) => n !== o.correctness) ?? [];
    let source = 'from the other criteria';
    if (o.rewarded && others.length > 0) source = `from ${names(others)}`;
    const unrewarded = o.rewarded && !o.rewarded.includes(o.correctness) ? ` (${o.correctness} is logged but not rewarded: weight 0)` : '';
    // the reward rose, beyond its noise, and beyond what correctness explains (the gap beyond the noise of both)
    const rose = r.change >= o.rewardRise && r.change > o.z * r.noise && cFlat && r.change - c.change > o.z * Math.hypot(r.noise, c.noise);
    const fromPeak = !rose && decoupled !== null && decoupled.message !== '';
    out.reward_vs_correctness = {
      value: r.change - c.change,
      condition: rose || fromPeak,
      holds: (r.change >= o.rewardRise / LOOSE && cFlatLoose) || (decoupled?.holds ?? false),
      message: fromPeak
        ? `${decoupled!.message} The reward is coming ${source}, not from solving the task${unrewarded}: read recent ` +
          'completions for tricks that please the rubric, and reward correctness (or cap the other criteria).'
        : `The total reward rose by ${fmt(r.change)} over the last ${span(r)} while ${correctness.label} ${cWord} ` +
          `(${signed(c.change)}). The reward is growing ${source}, not from solving the task${unrewarded}: read recent ` +
          'completions for tricks that please the rubric. (Early in a run this can be honest format learning.)',
    };
  }

  const lengthPoints = series(inWindow, METRIC.completionsMeanLength);
  const l = lengthPoints.length >= o.minPoints ? trend(lengthPoints) : null;
  if (l && c && correctness) {
    const growth = l.change / Math.max(l.start, 1);
    out.length_inflation = {
      value: growth,
      condition: growth >= o.lengthGrowth && l.change > o.z * l.noise && cFlat,
      holds: growth >= o.lengthGrowth / LOOSE && cFlatLoose,
      message:
        `Completions grew ${Math.round(growth * 100)}% longer over the last ${span(l)} (about ${fmt(l.start)} -> ` +
        `${fmt(l.end)} tokens) while ${correctness.label} ${cWord} (${signed(c.change)}). Longer answers are not ` +
        'making the model more correct: check for a criterion that rewards length or repetition.',
    };
  }

  if (correctness && o.formatCriteria.length > 0) {
    const acc = recentMean(correctness.points, last, o.recentSteps);
    let best: { name: string; mean: number } | null = null;
    for (const name of o.formatCriteria) {
      const points = series(inWindow, rewardMeanMetric(name)).filter((p) => p.x > last - o.recentSteps);
      if (points.length < o.recentSteps) continue;
      const mean = points.reduce((a, p) => a + p.y, 0) / points.length;
      if (!best || mean > best.mean) best = { name, mean };
    }
    if (best) {
      out.format_without_accuracy = {
        value: best.mean - acc,
        condition: best.mean > o.formatSaturation && acc < o.accuracyLow && !collapsed,
        holds: best.mean > o.formatSaturation - LOOSE_MARGIN && acc < o.accuracyLow + LOOSE_MARGIN,
        message:
          `${best.name} is saturated (mean ${fmt(best.mean)} over the last ${o.recentSteps} steps) while ` +
          `${correctness.label} stays low (${fmt(acc)}). The model has learned the answer format but not the task; ` +
          'the format credit no longer separates good completions from bad ones.',
      };
    }
  }
  return out;
}

// ---- the monitor (stateful: confirmation, clearing, one event per activation) ---------------------------

interface KindState {
  active: boolean;
  on: number; // consecutive steps with the condition
  off: number; // consecutive steps without it
}

type States = Record<HackingKind, KindState>;

const freshStates = (): States =>
  Object.fromEntries(HACKING_KINDS.map((k) => [k, { active: false, on: 0, off: 0 }])) as States;

const copyStates = (s: States): States =>
  Object.fromEntries(HACKING_KINDS.map((k) => [k, { ...s[k] }])) as States;

export interface HackingMonitorState {
  history: StepRecord[];
  states: States;
  before: States;
  /** Absent in checkpoints written before the collapse indicator (then it restarts from the restored step). */
  peak?: CorrectnessPeak | null;
}

export interface HackingUpdate {
  /** hacking/<kind> for each indicator that can be computed at this step. */
  metrics: Metrics;
  /** Indicators that turned on at this step. */
  events: HackingEvent[];
}

/**
 * Feed it each step's metrics in order; it keeps the window of history it needs. Calling `update` again with
 * the same step (e.g. the eval metrics of that step) merges them into that step and re-evaluates it without
 * repeating an event already emitted for it.
 */
export class HackingMonitor {
  private readonly options: ResolvedOptions;
  private history: StepRecord[] = [];
  private states: States = freshStates();
  /** States before the last step was applied, and after (for re-evaluating a merged step). */
  private before: States = freshStates();
  /** The run's best correctness so far (for the collapse indicator; it outlives the window). */
  private peak: CorrectnessPeak | null = null;

  constructor(options: HackingOptions) {
    this.options = resolveHackingOptions(options);
    const o = this.options;
    for (const key of ['window', 'minPoints', 'minEvalPoints', 'recentSteps', 'confirmSteps', 'clearSteps'] as const) {
      if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`hacking monitor: ${key} must be an integer >= 1, got ${o[key]}`);
    }
    if (o.minPoints > o.window) throw new RangeError(`hacking monitor: minPoints (${o.minPoints}) must be <= window (${o.window})`);
  }

  /** Everything the monitor remembers, as plain JSON (a checkpoint restores it with `restore`). */
  snapshot(): HackingMonitorState {
    return JSON.parse(JSON.stringify({ history: this.history, states: this.states, before: this.before, peak: this.peak }));
  }

  restore(state: HackingMonitorState): void {
    const copy = JSON.parse(JSON.stringify(state)) as HackingMonitorState;
    this.history = copy.history;
    this.states = copy.states;
    this.before = copy.before;
    // A checkpoint from before the collapse indicator has no kind 'collapse' nor a peak.
    for (const kind of HACKING_KINDS) {
      this.states[kind] ??= { active: false, on: 0, off: 0 };
      this.before[kind] ??= { active: false, on: 0, off: 0 };
    }
    this.peak = copy.peak ?? null;
  }

  /** Indicators currently on. */
  get active(): HackingKind[] {
    return HACKING_KINDS.filter((k) => this.states[k].active);
  }

  /** `step` defaults to one after the last step seen (1 for the first call). */
  update(stepMetrics: Metrics, step?: number): HackingUpdate {
    const last = this.history[this.history.length - 1];
    const s = step ?? (last ? last.step + 1 : 1);
    if (!Number.isFinite(s)) throw new RangeError(`hacking monitor: step must be a number, got ${s}`);
    let already: States | null = null;
    if (last && s === last.step) {
      Object.assign(last.metrics, stepMetrics);
      already = this.states;
      this.states = copyStates(this.before);
    } else {
      if (last && s < last.step) throw new RangeError(`hacking monitor: step ${s} comes after step ${last.step}`);
      this.history.push({ step: s, metrics: { ...stepMetrics } });
      this.history = this.history.filter((r) => r.step > s - this.options.window);
    }
    this.before = copyStates(this.states);

    // The peak includes this step, so a merged step (its eval) can raise it, never lower it.
    const now = recentCorrectness(this.history, this.options);
    if (now && (!this.peak || this.peak.label !== now.label || now.correctness > this.peak.correctness)) this.peak = now;
    const readings = hackingIndicators(this.history, this.options, this.peak);
    const metrics: Metrics = {};
    const events: HackingEvent[] = [];
    for (const kind of HACKING_KINDS) {
      const reading = readings[kind];
      const st = this.states[kind];
      if (reading) metrics[hackingMetric(kind)] = reading.value;
      if (!st.active) {
        st.on = reading?.condition ? st.on + 1 : 0;
        if (st.on >= this.options.confirmSteps) {
          st.active = true;
          st.off = 0;
          if (reading && !already?.[kind].active) events.push({ kind, step: s, message: reading.message });
        }
      } else {
        st.off = reading?.holds ? 0 : st.off + 1;
        if (st.off >= this.options.clearSteps) {
          st.active = false;
          st.on = 0;
        }
      }
    }
    return { metrics, events };
  }
}
