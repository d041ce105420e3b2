// Did the run slow down while the tab was hidden? Browsers may throttle a background tab (and, on some, its
// workers); the worker keeps training, but the person should know why a run took longer. Pure: the component
// (BackgroundNotice.tsx) feeds it the step counter and times at hide and at show.

/** Shorter absences say nothing: a step of a real model can take longer than this. */
export const MIN_HIDDEN_MS = 15_000;
/** Below this fraction of the visible pace the run counts as throttled. */
export const THROTTLED_FRACTION = 0.5;

export interface Pace {
  /** Steps per second while visible, measured before the tab was hidden (null when unknown). */
  visibleRate: number | null;
  hiddenAt: number;
  stepAtHide: number;
}

export type BackgroundVerdict =
  | { kind: 'none' }
  | { kind: 'kept-going'; steps: number; seconds: number }
  | { kind: 'throttled'; steps: number; seconds: number; hiddenRate: number; visibleRate: number };

export function backgroundVerdict(pace: Pace, shownAt: number, stepAtShow: number): BackgroundVerdict {
  const ms = shownAt - pace.hiddenAt;
  if (ms < MIN_HIDDEN_MS) return { kind: 'none' };
  const steps = stepAtShow - pace.stepAtHide;
  const seconds = ms / 1000;
  const hiddenRate = steps / seconds;
  if (pace.visibleRate !== null && pace.visibleRate > 0 && hiddenRate < pace.visibleRate * THROTTLED_FRACTION) {
    return { kind: 'throttled', steps, seconds, hiddenRate, visibleRate: pace.visibleRate };
  }
  return steps > 0 ? { kind: 'kept-going', steps, seconds } : { kind: 'none' };
}

/** Steps per second over the recent samples (time in ms, step); null with fewer than two or no time between. */
export function recentRate(samples: readonly { t: number; step: number }[]): number | null {
  if (samples.length < 2) return null;
  const a = samples[0];
  const b = samples[samples.length - 1];
  return b.t > a.t ? ((b.step - a.step) * 1000) / (b.t - a.t) : null;
}
