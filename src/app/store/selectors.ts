// Hooks that derive run lists from the store: the current run, the share link's reference run, and every
// run of the session (the reference first, as the baseline the others are compared with).
import { useMemo } from 'react';
import { useStore } from '../store.ts';
import { currentRun } from './reduce.ts';
import { referenceRun, type RunRecord } from './runs.ts';

export function useCurrentRun(): RunRecord | null {
  return useStore((s) => currentRun(s));
}

/** The shared link's curves as a run, or null (memoised: the curves never change after load). */
export function useReferenceRun(): RunRecord | null {
  const curves = useStore((s) => s.sharedCurves);
  const config = useStore((s) => s.sharedConfig);
  return useMemo(() => (curves ? referenceRun(curves, config) : null), [curves, config]);
}

/** The reference run (if any) and the session's runs, oldest first. */
export function useAllRuns(): RunRecord[] {
  const reference = useReferenceRun();
  const runs = useStore((s) => s.runs);
  return useMemo(() => (reference ? [reference, ...runs] : runs), [reference, runs]);
}
