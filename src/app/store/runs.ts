// The session's run history, as pure data and pure functions. A run is one press of Train (or of Step on a
// fresh page): the exact config it used, its metric series, warnings and the rollouts of recent steps. The
// store keeps a list of them; the current run is the last one unless Reset detached it.
import type { RunConfig } from '../../rl/config/schema.ts';
import type { HeldOutChange, RunState, StepRollouts } from '../../worker/protocol.ts';
import type { CurveSummary } from '../share/initial-config.ts';
import { runName } from './run-names.ts';

/** Longest metric series kept in state; longer runs are thinned to every other point. */
export const MAX_POINTS = 500;

/** Metrics of one step, keyed by TRL-style names (`reward`, `eval/accuracy`, ...). */
export interface MetricPoint {
  step: number;
  metrics: Record<string, number>;
}

export interface RunWarning {
  step: number;
  kind: string;
  message: string;
}

/**
 * What became of a run: the worker's last state, 'reset' once the user discarded it, or 'interrupted' for a
 * saved run whose page went away while it was going (persist/restore.ts; it may resume from its checkpoint).
 */
export type RunOutcome = RunState | 'reset' | 'interrupted';

export interface RunRecord {
  /** 'run-1', 'run-2', ...; 'shared' for the reference run of a share link. */
  id: string;
  name: string;
  color: string;
  /** A share link's curves: no worker, no rollouts, drawn dashed. */
  reference: boolean;
  /** The exact config the run was started with (a copy: later panel edits do not change it). */
  config: RunConfig;
  state: RunOutcome;
  /** Latest completed train step (0 before the first). */
  step: number;
  train: MetricPoint[];
  evals: MetricPoint[];
  warnings: RunWarning[];
  /** Kept steps' rollouts, oldest first (see keepRollouts for which steps survive). */
  rollouts: StepRollouts[];
  /** How the held-out answers changed from step 0 to the latest evaluation (none before a second one). */
  heldOut?: HeldOutChange;
}

/**
 * Run colours, in order of creation (then again from the start): the Okabe-Ito palette, chosen to stay
 * distinct for the common colour-vision deficiencies (its yellow left out: too faint on white). Neighbours
 * differ in lightness too, so runs 1 and 2 never look alike.
 */
export const RUN_PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
/** The shared reference run is grey (and dashed), so it never looks like one of the user's runs. */
export const REFERENCE_COLOR = '#6b7280';

export const SHARED_RUN_ID = 'shared';

/** A new run numbered `n` (1-based), named after what differs from `previous` ("Run 2 · lr ×10"), else its task. */
export function newRun(n: number, config: RunConfig, previous?: RunConfig): RunRecord {
  return {
    id: `run-${n}`,
    name: runName(n, config, previous),
    color: RUN_PALETTE[(n - 1) % RUN_PALETTE.length],
    reference: false,
    config: structuredClone(config),
    state: 'loading',
    step: 0,
    train: [],
    evals: [],
    warnings: [],
    rollouts: [],
  };
}

/** The share link's curves as a read-only run, for overlays and the compare table. */
export function referenceRun(curves: CurveSummary, config: RunConfig): RunRecord {
  const train = [...curves.train].sort((a, b) => a.step - b.step);
  return {
    id: SHARED_RUN_ID,
    name: curves.name ? `Shared run · ${curves.name}` : 'Shared run',
    color: REFERENCE_COLOR,
    reference: true,
    config,
    state: 'done',
    step: train.at(-1)?.step ?? 0,
    train,
    evals: [...curves.evals].sort((a, b) => a.step - b.step),
    warnings: [],
    rollouts: [],
  };
}

/** Appends a point, first halving the series (keeping every other point) when it is full. */
export function appendDownsampled(series: MetricPoint[], point: MetricPoint, max = MAX_POINTS): MetricPoint[] {
  const kept = series.length >= max ? series.filter((_, i) => i % 2 === 0) : series;
  return [...kept, point];
}

// ---- rollout thinning ---------------------------------------------------------------------------------
//
// Rollouts are the biggest thing the page keeps (every token of every completion), so only some steps stay:
//   1. the latest RECENT_ROLLOUT_STEPS steps, all of them (what the scrubber is mostly used for);
//   2. older steps only when the step is a multiple of OLD_ROLLOUT_STRIDE (a coarse look back to the start),
//      at most MAX_OLD_ROLLOUT_STEPS of them: past that, every other one of those is dropped (like the metric
//      series), so the look back spans the whole run at a coarser and coarser grain;
//   3. whatever survives must fit MAX_KEPT_TOKENS tokens in all; the oldest steps go first, the latest
//      step always stays.

export const RECENT_ROLLOUT_STEPS = 50;
export const OLD_ROLLOUT_STRIDE = 10;
export const MAX_OLD_ROLLOUT_STEPS = 20;
export const MAX_KEPT_TOKENS = 2_000_000;

export interface RolloutKeepRule {
  recent: number;
  stride: number;
  maxOld: number;
  maxTokens: number;
}

export const DEFAULT_KEEP_RULE: RolloutKeepRule = {
  recent: RECENT_ROLLOUT_STEPS,
  stride: OLD_ROLLOUT_STRIDE,
  maxOld: MAX_OLD_ROLLOUT_STEPS,
  maxTokens: MAX_KEPT_TOKENS,
};

/** Tokens held by one step's rollouts (what the memory budget counts). */
export function rolloutTokens(r: StepRollouts): number {
  let n = 0;
  for (const g of r.groups) for (const c of g.completions) n += c.tokens.length;
  return n;
}

/** Adds `next` to the kept rollouts (oldest first; a step seen again replaces the old one), then thins. */
export function keepRollouts(kept: StepRollouts[], next: StepRollouts, rule: RolloutKeepRule = DEFAULT_KEEP_RULE): StepRollouts[] {
  const all = [...kept.filter((r) => r.step !== next.step), next].sort((a, b) => a.step - b.step);
  const recent = all.slice(-rule.recent);
  let old = all.slice(0, all.length - recent.length).filter((r) => r.step % rule.stride === 0);
  while (old.length > rule.maxOld) old = old.filter((_, i) => i % 2 === 0);
  const out = [...old, ...recent];
  let tokens = out.reduce((sum, r) => sum + rolloutTokens(r), 0);
  while (out.length > 1 && tokens > rule.maxTokens) tokens -= rolloutTokens(out.shift()!);
  return out;
}
