// Hooks that derive run lists from the store: the current run, the share link's reference run, and every
// run of the session (the reference first, as the baseline the others are compared with). The run lists for
// charts and tables follow the store at most every LIVE_INTERVAL_MS, only while shown (use-live.ts).
import { useMemo } from 'react';
import { useStore, type PlaygroundState } from '../store.ts';
import { currentRun } from './reduce.ts';
import { referenceRun, type RunRecord } from './runs.ts';
import { useLiveValue } from './use-live.ts';

/** How often the live views (charts, compare, rollouts) catch up with the run at most. */
export const LIVE_INTERVAL_MS = 300;

const selectRuns = (s: PlaygroundState) => s.runs;
const selectCurrentRun = (s: PlaygroundState) => currentRun(s);

/** The current run, live (at most every LIVE_INTERVAL_MS, while shown). */
export function useCurrentRun(): RunRecord | null {
  return useLiveValue(selectCurrentRun, LIVE_INTERVAL_MS);
}

/** The shared link's curves as a run, or null (memoised: the curves never change after load). */
export function useReferenceRun(): RunRecord | null {
  const curves = useStore((s) => s.sharedCurves);
  const config = useStore((s) => s.sharedConfig);
  return useMemo(() => (curves ? referenceRun(curves, config) : null), [curves, config]);
}

/** The reference run (if any) and the session's runs, oldest first, live. */
export function useAllRuns(): RunRecord[] {
  const reference = useReferenceRun();
  const runs = useLiveValue(selectRuns, LIVE_INTERVAL_MS);
  return useMemo(() => (reference ? [reference, ...runs] : runs), [reference, runs]);
}
