// The UI store (zustand), in three small slices: the run config, the run status, and downsampled metric
// series. It owns the trainer worker and turns its WorkerToUi messages into state. No tensors live here:
// only numbers per step and the latest sample's text.
import { create, type StateCreator } from 'zustand';
import type { RunConfig } from '../rl/config/schema.ts';
import { initialConfig, type CurveSummary } from './share/initial-config.ts';
import { currentSecrets } from './secrets.ts';
import type { BackendPreference, RunState, UiToWorker, WorkerToUi } from '../worker/protocol.ts';

/** Longest metric series kept in state; longer runs are thinned to every other point. */
export const MAX_POINTS = 500;

export type RunStatus = 'idle' | RunState;

/** Metrics of one step, keyed by TRL-style names (`reward`, `eval/accuracy`, ...). */
export interface MetricPoint {
  step: number;
  metrics: Record<string, number>;
}

export interface Sample {
  step: number;
  prompt: string;
  completion: string;
  reward: number;
}

interface ConfigSlice {
  config: RunConfig;
  /** Why the run in the page's share link could not be opened (the default config is used instead). */
  shareError: string | null;
  /** Curves that came with the share link (a reference run), if any. */
  sharedCurves: CurveSummary | null;
  /** Replace the run config (panels build a new config object; the next Train uses it). */
  setConfig: (config: RunConfig) => void;
  backendPreference: BackendPreference;
  setBackendPreference: (preference: BackendPreference) => void;
}

interface RunSlice {
  status: RunStatus;
  message: string | null;
  backend: string | null;
  backendNote: string | null;
  error: string | null;
  start: () => void;
  pause: () => void;
  resume: () => void;
  stop: () => void;
}

interface MetricsSlice {
  /** Latest completed train step (0 before the first). */
  step: number;
  train: MetricPoint[];
  evals: MetricPoint[];
  sample: Sample | null;
  /** Reward-hacking warnings from the trainer, newest last. */
  warnings: { step: number; kind: string; message: string }[];
}

export type PlaygroundState = ConfigSlice & RunSlice & MetricsSlice;
type Slice<T> = StateCreator<PlaygroundState, [], [], T>;

/** Appends a point, first halving the series (keeping every other point) when it is full. */
export function appendDownsampled(series: MetricPoint[], point: MetricPoint, max = MAX_POINTS): MetricPoint[] {
  const kept = series.length >= max ? series.filter((_, i) => i % 2 === 0) : series;
  return [...kept, point];
}

const createConfigSlice: Slice<ConfigSlice> = (set) => ({
  ...initialConfig(),
  setConfig: (config) => set({ config }),
  backendPreference: 'auto',
  setBackendPreference: (backendPreference) => set({ backendPreference }),
});

const emptyMetrics = (): MetricsSlice => ({ step: 0, train: [], evals: [], sample: null, warnings: [] });
const createMetricsSlice: Slice<MetricsSlice> = emptyMetrics;

// The worker lives outside React state: it is not data to render.
let worker: Worker | null = null;

function send(message: UiToWorker): void {
  worker?.postMessage(message);
}

const createRunSlice: Slice<RunSlice> = (set, get) => ({
  status: 'idle',
  message: null,
  backend: null,
  backendNote: null,
  error: null,
  start: () => {
    // A fresh worker per run: nothing from a previous (possibly failed) run survives.
    worker?.terminate();
    worker = new Worker(new URL('../worker/trainer.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<WorkerToUi>) => set(reduce(get(), event.data));
    worker.onerror = (event) => {
      const message = event.message || 'The trainer worker failed to start.';
      set({ status: 'error', error: message, message });
    };
    set({ status: 'loading', message: 'Starting…', error: null, backend: null, backendNote: null, ...emptyMetrics() });
    send({ type: 'start', config: get().config, backend: get().backendPreference, secrets: currentSecrets() });
  },
  // The worker acts between steps; say so until its next status arrives.
  pause: () => {
    send({ type: 'pause' });
    set({ message: 'Pausing after the current step…' });
  },
  resume: () => send({ type: 'resume' }),
  stop: () => {
    send({ type: 'stop' });
    set({ message: 'Stopping after the current step…' });
  },
});

/** The state change one worker message causes. */
function reduce(state: PlaygroundState, message: WorkerToUi): Partial<PlaygroundState> {
  switch (message.type) {
    case 'status':
      return {
        status: message.state,
        message: message.message ?? null,
        backend: message.backend ?? state.backend,
        backendNote: message.backendNote ?? (message.backend ? null : state.backendNote),
      };
    case 'metrics':
      return {
        step: message.step,
        train: appendDownsampled(state.train, { step: message.step, metrics: message.metrics }),
      };
    case 'eval':
      return { evals: appendDownsampled(state.evals, { step: message.step, metrics: message.metrics }) };
    case 'sample':
      return { sample: { step: message.step, prompt: message.prompt, completion: message.completion, reward: message.reward } };
    case 'warning':
      return { warnings: [...state.warnings, { step: message.step, kind: message.kind, message: message.message }] };
    case 'rollouts':
      return {};
    case 'error':
      return { status: 'error', error: message.message, message: message.message };
  }
}

export const useStore = create<PlaygroundState>()((...args) => ({
  ...createConfigSlice(...args),
  ...createRunSlice(...args),
  ...createMetricsSlice(...args),
}));
