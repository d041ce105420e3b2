// View settings shared by the Charts and Compare tabs: the smoothing weight, which runs are selected for
// overlays, and whether the Charts tab overlays them. Runs are selected unless the user unticks them, so a
// new run shows up in Compare at once.
import type { StateCreator } from 'zustand';
import type { PlaygroundState } from '../store.ts';

/** TensorBoard's default-ish smoothing: visible trend, still responsive for short runs. */
export const DEFAULT_SMOOTHING = 0.6;

export interface ViewSlice {
  /** EMA weight in [0, 0.99] for train series (0 = raw). */
  smoothing: number;
  setSmoothing: (weight: number) => void;
  /** Runs the user unticked in Compare (ids). */
  deselectedRunIds: string[];
  setRunSelected: (id: string, selected: boolean) => void;
  /** Charts tab: overlay the other selected runs on the current run's charts. */
  showOtherRuns: boolean;
  setShowOtherRuns: (show: boolean) => void;
}

export function clampSmoothing(weight: number): number {
  return Number.isFinite(weight) ? Math.min(0.99, Math.max(0, weight)) : 0;
}

export const createViewSlice: StateCreator<PlaygroundState, [], [], ViewSlice> = (set, get) => ({
  smoothing: DEFAULT_SMOOTHING,
  setSmoothing: (weight) => set({ smoothing: clampSmoothing(weight) }),
  deselectedRunIds: [],
  setRunSelected: (id, selected) => {
    const others = get().deselectedRunIds.filter((d) => d !== id);
    set({ deselectedRunIds: selected ? others : [...others, id] });
  },
  showOtherRuns: false,
  setShowOtherRuns: (showOtherRuns) => set({ showOtherRuns }),
});
