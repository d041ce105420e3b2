// Which runs the Charts tab draws, in drawing order.
import type { RunRecord } from '../store/runs.ts';

/** The runs the Charts tab draws: current first, then the reference, then (if asked) the other selected runs. */
export function chartRuns(all: RunRecord[], current: RunRecord | null, showOthers: boolean, deselected: string[]): RunRecord[] {
  const reference = all.filter((r) => r.reference);
  const others = showOthers ? all.filter((r) => !r.reference && r !== current && !deselected.includes(r.id)) : [];
  return [...(current ? [current] : []), ...reference, ...others];
}
