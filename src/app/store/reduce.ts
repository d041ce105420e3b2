// The run side of the store as pure functions: what each worker message and each run control does to the
// state, and which commands go back to the worker. The zustand slice (run-slice.ts) only applies these,
// so a scripted sequence of messages can be tested without a worker or React.
import type { RunConfig } from '../../rl/config/schema.ts';
import type { BackendPreference, RunSecrets, RunState, UiToWorker, WorkerToUi } from '../../worker/protocol.ts';
import { appendDownsampled, keepRollouts, newRun, type MetricPoint, type RunOutcome, type RunRecord, type RunWarning } from './runs.ts';

export type RunStatus = 'idle' | RunState;

export interface Sample {
  step: number;
  prompt: string;
  completion: string;
  reward: number;
}

/** The current run's series, mirrored at the top level of the state for the components that only show it. */
export interface CurrentRunMirror {
  /** Latest completed train step of the current run (0 before the first, and after Reset). */
  step: number;
  train: MetricPoint[];
  evals: MetricPoint[];
  /** Reward-hacking warnings of the current run, newest last. */
  warnings: RunWarning[];
}

export interface RunViewState extends CurrentRunMirror {
  status: RunStatus;
  message: string | null;
  backend: string | null;
  backendNote: string | null;
  error: string | null;
  /** Every run of this session, oldest first. */
  runs: RunRecord[];
  /** The run the workspace shows and the controls act on; null on a fresh page and after Reset. */
  currentRunId: string | null;
  /** Step was pressed with no run going: the run starts paused, and `step` is sent once it reports `paused`. */
  pendingStep: boolean;
  /** The latest single completion (the `sample` message), shown when a worker sends no rollouts. */
  sample: Sample | null;
}

export interface Reduction {
  patch: Partial<RunViewState>;
  /** Commands to send to the current worker, in order. */
  send: UiToWorker[];
}

const EMPTY_MIRROR: CurrentRunMirror = { step: 0, train: [], evals: [], warnings: [] };

export function initialRunView(): RunViewState {
  return {
    ...EMPTY_MIRROR,
    status: 'idle',
    message: null,
    backend: null,
    backendNote: null,
    error: null,
    runs: [],
    currentRunId: null,
    pendingStep: false,
    sample: null,
  };
}

export function currentRun(state: Pick<RunViewState, 'runs' | 'currentRunId'>): RunRecord | null {
  return state.currentRunId === null ? null : (state.runs.find((r) => r.id === state.currentRunId) ?? null);
}

/** True while a worker is alive and may still train (the controls Stop and Reset act on it). */
export function isActive(status: RunStatus | RunOutcome): boolean {
  return status === 'loading' || status === 'ready' || status === 'training' || status === 'paused';
}

/** Replaces the current run by `update(run)` and refreshes the top-level mirror. */
function withCurrentRun(state: RunViewState, update: (run: RunRecord) => RunRecord): Partial<RunViewState> {
  const run = currentRun(state);
  if (!run) return {};
  const next = update(run);
  return { runs: state.runs.map((r) => (r === run ? next : r)), ...mirrorOf(next) };
}

function mirrorOf(run: RunRecord | null): CurrentRunMirror {
  return run ? { step: run.step, train: run.train, evals: run.evals, warnings: run.warnings } : EMPTY_MIRROR;
}

/** The state change one worker message causes, and any command it triggers (the deferred Step). */
export function reduceWorkerMessage(state: RunViewState, message: WorkerToUi): Reduction {
  switch (message.type) {
    case 'status': {
      const base: Partial<RunViewState> = {
        status: message.state,
        message: message.message ?? null,
        backend: message.backend ?? state.backend,
        // The note on why this device was chosen stays until another device is named (statuses repeat the name).
        backendNote: message.backendNote ?? (message.backend && message.backend !== state.backend ? null : state.backendNote),
        ...withCurrentRun(state, (run) => ({ ...run, state: message.state })),
      };
      if (message.state === 'paused' && state.pendingStep) {
        // The fresh-page Step: the run has evaluated step 0 and paused; now take exactly one update.
        return { patch: { ...base, ...stepping() }, send: [{ type: 'step' }] };
      }
      const ended = message.state === 'done' || message.state === 'error';
      return { patch: ended ? { ...base, pendingStep: false } : base, send: [] };
    }
    case 'metrics': {
      const point = { step: message.step, metrics: message.metrics };
      return { patch: withCurrentRun(state, (run) => ({ ...run, step: message.step, train: appendDownsampled(run.train, point) })), send: [] };
    }
    case 'eval': {
      const point = { step: message.step, metrics: message.metrics };
      const heldOut = message.heldOut ? { heldOut: message.heldOut } : {};
      return { patch: withCurrentRun(state, (run) => ({ ...run, evals: appendDownsampled(run.evals, point), ...heldOut })), send: [] };
    }
    case 'rollouts':
      return { patch: withCurrentRun(state, (run) => ({ ...run, rollouts: keepRollouts(run.rollouts, message.rollouts) })), send: [] };
    case 'sample':
      return { patch: { sample: { step: message.step, prompt: message.prompt, completion: message.completion, reward: message.reward } }, send: [] };
    case 'warning': {
      const warning = { step: message.step, kind: message.kind, message: message.message };
      return { patch: withCurrentRun(state, (run) => ({ ...run, warnings: [...run.warnings, warning] })), send: [] };
    }
    // Runs that last: the run slice hands checkpoints straight to persist/ (no bytes in the store); model-files
    // only answers an export worker.
    case 'checkpoint':
    case 'model-files':
      return { patch: {}, send: [] };
    case 'error':
      return {
        patch: {
          status: 'error',
          error: message.message,
          message: message.message,
          pendingStep: false,
          ...withCurrentRun(state, (run) => ({ ...run, state: 'error' })),
        },
        send: [],
      };
  }
}

/** What the page shows between sending `step` and the worker's next status. */
function stepping(): Partial<RunViewState> {
  return { status: 'training', message: 'Taking one GRPO step…', pendingStep: false };
}

export interface StartOptions {
  backend: BackendPreference;
  secrets?: RunSecrets;
  /** Stop in `paused` after the step-0 evaluation and take one step (the fresh-page Step). */
  startPaused?: boolean;
}

/** A new run (Train, or Step with no run going): appended to the history and made current. */
export function startRun(state: RunViewState, config: RunConfig, options: StartOptions): Reduction {
  const startPaused = options.startPaused ?? false;
  const previous = state.runs.findLast((r) => !r.reference)?.config;
  const run = newRun(nextRunNumber(state.runs), config, previous);
  return {
    patch: {
      runs: [...state.runs, run],
      currentRunId: run.id,
      ...mirrorOf(run),
      status: 'loading',
      message: 'Starting…',
      error: null,
      backend: null,
      backendNote: null,
      sample: null,
      pendingStep: startPaused,
    },
    send: [{ type: 'start', config: run.config, backend: options.backend, startPaused, secrets: options.secrets }],
  };
}

/**
 * Step: exactly one GRPO update. While paused it is one `step` command; with no run going it starts a run
 * that pauses after its step-0 evaluation, and the `step` follows when it reports `paused`.
 */
export function stepOnce(state: RunViewState, config: RunConfig, options: StartOptions): Reduction {
  if (state.status === 'paused') return { patch: stepping(), send: [{ type: 'step' }] };
  if (isActive(state.status)) return { patch: {}, send: [] };
  return startRun(state, config, { ...options, startPaused: true });
}

/** One more than the highest run number so far: saved runs may have been deleted, so not the count + 1. */
export function nextRunNumber(runs: RunRecord[]): number {
  let n = 0;
  for (const r of runs) n = Math.max(n, Number(/^run-(\d+)$/.exec(r.id)?.[1] ?? 0));
  return n + 1;
}

/** Reset: the worker is gone (the caller terminates it); the run stays in the history, marked reset. */
export function resetRun(state: RunViewState): Partial<RunViewState> {
  const runs = state.runs.map((r) => (r.id === state.currentRunId && isActive(r.state) ? { ...r, state: 'reset' as const } : r));
  return {
    runs,
    currentRunId: null,
    ...EMPTY_MIRROR,
    status: 'idle',
    message: null,
    error: null,
    backend: null,
    backendNote: null,
    sample: null,
    pendingStep: false,
  };
}

export function renameRun(state: RunViewState, id: string, name: string): Partial<RunViewState> {
  return { runs: state.runs.map((r) => (r.id === id ? { ...r, name } : r)) };
}
