// The run slice: owns the trainer worker (outside React state: it is not data to render) and applies the
// pure reductions of reduce.ts to the store. One fresh worker per run; messages from a worker that has been
// replaced or terminated are ignored.
import type { StateCreator } from 'zustand';
import type { PlaygroundState } from '../store.ts';
import { currentSecrets } from '../secrets.ts';
import type { CheckpointFiles, UiToWorker, WorkerToUi } from '../../worker/protocol.ts';
import { usePersist } from '../persist/persist-store.ts';
import { resumeRunReduction } from '../persist/resume-reduce.ts';
import { saveCheckpoint } from '../persist/saved-runs.ts';
import {
  initialRunView,
  reduceWorkerMessage,
  renameRun,
  resetRun,
  startRun,
  stepOnce,
  type Reduction,
  type RunViewState,
} from './reduce.ts';

export interface RunSlice extends RunViewState {
  /** Train: a new run with the current config. */
  start: () => void;
  pause: () => void;
  resume: () => void;
  /** Exactly one GRPO update (starting a paused run first when none is going). */
  stepOnce: () => void;
  stop: () => void;
  /** Stop (and the end of a run) evaluates the last step on the held-out set unless the person unticks this. */
  evaluateOnStop: boolean;
  setEvaluateOnStop: (evaluate: boolean) => void;
  /** Terminate the worker and return to step 0; the next Train starts from the same seed and init. */
  reset: () => void;
  renameRun: (id: string, name: string) => void;
  /** Continue a saved run from its checkpoint in a fresh worker (persist/saved-runs.ts cuts it back first). */
  resumeFromCheckpoint: (id: string, checkpoint: CheckpointFiles) => void;
}

let worker: Worker | null = null;

/** How long worker messages gather before they are applied together (short: Pause must still feel instant). */
const INBOX_DELAY_MS = 30;

function send(message: UiToWorker): void {
  worker?.postMessage(message);
}

export const createRunSlice: StateCreator<PlaygroundState, [], [], RunSlice> = (set, get) => {
  const apply = ({ patch, send: commands }: Reduction) => {
    set(patch);
    commands.forEach(send);
  };

  // Messages that arrive together (a step's metrics, sample and rollouts) become one store update: each
  // update re-renders what subscribes to the run, and an update during a render makes React redo it blocking.
  let inbox: WorkerToUi[] = [];
  const applyInbox = () => {
    const messages = inbox;
    inbox = [];
    let state = get();
    let patch: Partial<RunViewState> = {};
    const commands: UiToWorker[] = [];
    for (const message of messages) {
      const r = reduceWorkerMessage(state, message);
      patch = { ...patch, ...r.patch };
      state = { ...state, ...r.patch };
      commands.push(...r.send);
    }
    apply({ patch, send: commands });
  };

  const spawnWorker = () => {
    // A fresh worker per run: nothing from a previous (possibly failed) run survives.
    worker?.terminate();
    inbox = [];
    const own = new Worker(new URL('../../worker/trainer.worker.ts', import.meta.url), { type: 'module' });
    worker = own;
    own.onmessage = (event: MessageEvent<WorkerToUi>) => {
      // Checkpoints go straight to the database (persist/), never into the store.
      const runId = get().currentRunId;
      if (event.data.type === 'checkpoint') return void (worker === own && runId && saveCheckpoint(runId, event.data.step, event.data.checkpoint));
      if (worker !== own) return;
      if (inbox.length === 0) setTimeout(() => worker === own && applyInbox(), INBOX_DELAY_MS);
      inbox.push(event.data);
    };
    own.onerror = (event) => {
      if (worker !== own) return;
      applyInbox();
      apply(reduceWorkerMessage(get(), { type: 'error', message: event.message || 'The trainer worker failed to start.' }));
    };
  };

  const startOptions = () => ({ backend: get().backendPreference, secrets: currentSecrets() });
  /** The page's checkpoint cadence, sent right after each start (persist/persist-store.ts). */
  const sendCheckpointEvery = () => send({ type: 'checkpoint-every', steps: usePersist.getState().checkpointEvery });

  return {
    ...initialRunView(),
    start: () => {
      spawnWorker();
      apply(startRun(get(), get().config, startOptions()));
      sendCheckpointEvery();
    },
    // The worker acts between steps; say so until its next status arrives.
    pause: () => {
      send({ type: 'pause' });
      set({ message: 'Pausing after the current step…' });
    },
    resume: () => send({ type: 'resume' }),
    stepOnce: () => {
      const reduction = stepOnce(get(), get().config, startOptions());
      if (reduction.send[0]?.type === 'start') spawnWorker();
      apply(reduction);
      if (reduction.send[0]?.type === 'start') sendCheckpointEvery();
    },
    stop: () => {
      const evaluate = get().evaluateOnStop;
      send({ type: 'stop', evaluate });
      set({ message: evaluate ? 'Stopping after the current step, then evaluating it…' : 'Stopping after the current step…' });
    },
    evaluateOnStop: true,
    setEvaluateOnStop: (evaluateOnStop) => set({ evaluateOnStop }),
    reset: () => {
      worker?.terminate();
      worker = null;
      set(resetRun(get()));
    },
    renameRun: (id, name) => set(renameRun(get(), id, name)),
    resumeFromCheckpoint: (id, checkpoint) => {
      spawnWorker();
      apply(resumeRunReduction(get(), id, checkpoint, startOptions()));
      sendCheckpointEvery();
    },
  };
};
