// The UI store (zustand), in small slices: the run config, the runs (status, history, metrics, rollouts;
// store/run-slice.ts, with its pure logic in store/reduce.ts and store/runs.ts) and view settings shared by
// the chart and compare tabs (store/view-slice.ts). Only plain numbers and text live here, never tensors.
import { create, type StateCreator } from 'zustand';
import type { RunConfig } from '../rl/config/schema.ts';
import { initialConfig, type CurveSummary } from './share/initial-config.ts';
import type { BackendPreference } from '../worker/protocol.ts';
import { createRunSlice, type RunSlice } from './store/run-slice.ts';
import { createViewSlice, type ViewSlice } from './store/view-slice.ts';

export { appendDownsampled, MAX_POINTS, type MetricPoint, type RunRecord, type RunWarning } from './store/runs.ts';
export { currentRun, isActive, type RunStatus, type Sample } from './store/reduce.ts';

interface ConfigSlice {
  config: RunConfig;
  /** Why the run in the page's share link could not be opened (the default config is used instead). */
  shareError: string | null;
  /** Curves that came with the share link (a reference run), if any. */
  sharedCurves: CurveSummary | null;
  /** The config the page opened with: the shared run's config when the link carried curves. */
  sharedConfig: RunConfig;
  /** Set (or clear) the reference run: a share link's curves and the config they were made with. */
  setSharedCurves: (curves: CurveSummary | null, config?: RunConfig) => void;
  /** Replace the run config (panels build a new config object; the next Train uses it). */
  setConfig: (config: RunConfig) => void;
  backendPreference: BackendPreference;
  setBackendPreference: (preference: BackendPreference) => void;
}

export type PlaygroundState = ConfigSlice & RunSlice & ViewSlice;
export type Slice<T> = StateCreator<PlaygroundState, [], [], T>;

const createConfigSlice: Slice<ConfigSlice> = (set, get) => {
  const initial = initialConfig();
  return {
    ...initial,
    sharedConfig: structuredClone(initial.config),
    setSharedCurves: (curves, config) =>
      set(curves ? { sharedCurves: curves, sharedConfig: structuredClone(config ?? get().config) } : { sharedCurves: null }),
    setConfig: (config) => set({ config }),
    backendPreference: 'auto',
    setBackendPreference: (backendPreference) => set({ backendPreference }),
  };
};

export const useStore = create<PlaygroundState>()((...args) => ({
  ...createConfigSlice(...args),
  ...createRunSlice(...args),
  ...createViewSlice(...args),
}));
