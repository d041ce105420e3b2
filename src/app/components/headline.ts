// What the run's headline says, as a pure function of the run: held-out accuracy from the first evaluation
// to the latest with both steps ("0.48 -> 0.88 (step 0 -> 60)"), the latest reward with its step, whether the
// run trained past its latest evaluation (that number is then stale and says so), and a warning when nearly
// every group of the recent steps gave no learning signal (all G rewards equal: zero advantages).
import { METRIC } from '../../rl/metrics.ts';
import type { RunRecord } from '../store/runs.ts';

export interface Headline {
  accuracy: { from: number; fromStep: number; to: number; toStep: number } | null;
  reward: { value: number; step: number } | null;
  /** The run trained past its latest evaluation: steps since (0 when it is current). */
  stepsSinceEval: number;
  /** Mean zero-std fraction over the recent steps when it is high enough to warn about, else null. */
  flatGroups: number | null;
}

/** Steps the zero-std warning looks back over, and the fraction above which it fires. */
export const FLAT_WINDOW = 5;
export const FLAT_WARNING = 0.75;

export function runHeadline(run: Pick<RunRecord, 'train' | 'evals' | 'step'> | null): Headline {
  if (!run) return { accuracy: null, reward: null, stepsSinceEval: 0, flatGroups: null };
  const evals = run.evals.filter((p) => Number.isFinite(p.metrics[METRIC.evalAccuracy]));
  const first = evals[0];
  const last = evals.at(-1);
  const accuracy =
    first && last
      ? { from: first.metrics[METRIC.evalAccuracy], fromStep: first.step, to: last.metrics[METRIC.evalAccuracy], toStep: last.step }
      : null;
  const lastTrain = run.train.findLast((p) => Number.isFinite(p.metrics[METRIC.reward]));
  const reward = lastTrain ? { value: lastTrain.metrics[METRIC.reward], step: lastTrain.step } : null;
  const recent = run.train.slice(-FLAT_WINDOW).map((p) => p.metrics[METRIC.fracRewardZeroStd]).filter(Number.isFinite);
  const flat = recent.length >= Math.min(FLAT_WINDOW, 3) ? recent.reduce((a, b) => a + b, 0) / recent.length : 0;
  return {
    accuracy,
    reward,
    stepsSinceEval: last ? Math.max(0, run.step - last.step) : 0,
    flatGroups: flat >= FLAT_WARNING ? flat : null,
  };
}

/** "0.48 -> 0.88 (step 0 -> 60)", or "0.48 (step 0)" with one evaluation. */
export function accuracyText(a: NonNullable<Headline['accuracy']>): string {
  const f = (v: number) => v.toFixed(2);
  return a.toStep === a.fromStep ? `${f(a.to)} (step ${a.toStep})` : `${f(a.from)} → ${f(a.to)} (step ${a.fromStep} → ${a.toStep})`;
}
