// The trainer Web Worker: receives UiToWorker messages, runs one GRPO run at a time and reports progress as
// WorkerToUi messages (protocol.ts). Loads the model folder from /models/<id>/ on the page's origin. Every
// failure becomes an `error` message; nothing is left as an unhandled rejection. Imports nothing from the UI.
/// <reference lib="webworker" />
import type { RunConfig } from '../rl/config/schema.ts';
import { Trainer } from '../rl/trainer.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { httpSource } from '../engine/io/sources.ts';
import type { BackendPreference, UiToWorker, WorkerToUi } from './protocol.ts';
import { chooseBackend } from './choose-backend.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: WorkerToUi): void {
  scope.postMessage(message);
}

/** Control flags of the current run, flipped by pause/resume/stop messages between steps. */
interface RunControl {
  paused: boolean;
  stopped: boolean;
  /** Resolves the pending "wait while paused" promise, if any. */
  wake: (() => void) | null;
}

let current: RunControl | null = null;

scope.onmessage = (event: MessageEvent<UiToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      if (current) {
        post({ type: 'error', message: 'A run is already in progress; stop it first.' });
        return;
      }
      void startRun(message.config, message.backend);
      return;
    case 'pause':
      if (current && !current.stopped) current.paused = true;
      return;
    case 'resume':
      if (current) {
        current.paused = false;
        current.wake?.();
      }
      return;
    case 'stop':
      if (current) {
        current.stopped = true;
        current.wake?.();
      }
      return;
  }
};

// A safety net: anything that escapes the run's own try/catch is still reported to the UI.
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportError(event.reason);
});

async function startRun(config: RunConfig, preference: BackendPreference): Promise<void> {
  const control: RunControl = { paused: false, stopped: false, wake: null };
  current = control;
  try {
    await train(config, preference, control);
  } catch (err) {
    reportError(err);
  } finally {
    current = null;
  }
}

async function train(config: RunConfig, preference: BackendPreference, control: RunControl): Promise<void> {
  const modelId = config.model.id;
  post({ type: 'status', state: 'loading', message: `Loading model ${modelId}…` });
  const url = new URL(`/models/${modelId}/`, self.location.origin).href;
  const model = await loadModelFolder(httpSource(url));
  post({ type: 'status', state: 'loading', message: 'Preparing the compute backend…' });
  const { backend, note } = await chooseBackend(preference);
  post({ type: 'status', state: 'loading', message: `Loaded ${modelId}`, backend: backend.deviceName, backendNote: note });
  const trainer = await Trainer.create(config, model, backend);
  post({ type: 'status', state: 'ready', message: `Loaded ${modelId}`, backend: backend.deviceName, backendNote: note });
  if (control.stopped) {
    post({ type: 'status', state: 'done', message: 'Stopped before training' });
    return;
  }

  post({ type: 'status', state: 'training', message: 'Evaluating before training…', backend: backend.deviceName });
  const before = await trainer.evaluate();
  post({ type: 'eval', step: trainer.stepIndex, metrics: before.metrics });
  if (before.samples[0]) postSample(trainer.stepIndex, before.samples[0]);
  post({ type: 'status', state: 'training', backend: backend.deviceName });

  while (trainer.stepIndex < config.steps && !control.stopped) {
    const result = await trainer.step();
    post({ type: 'metrics', step: result.step, metrics: result.metrics });
    for (const ev of result.events) post({ type: 'warning', step: ev.step, kind: ev.kind, message: ev.message });
    if (result.samples[0]) postSample(result.step, result.samples[0]);

    // Yield to the event loop so pause/stop messages are handled between steps.
    await nextTask();
    if (control.paused && !control.stopped) {
      post({ type: 'status', state: 'paused', message: `Paused at step ${trainer.stepIndex}` });
      await waitWhilePaused(control);
      if (!control.stopped) post({ type: 'status', state: 'training', backend: backend.deviceName });
    }
  }

  if (control.stopped) {
    post({ type: 'status', state: 'done', message: `Stopped at step ${trainer.stepIndex}` });
    return;
  }
  post({ type: 'status', state: 'training', message: 'Final evaluation…', backend: backend.deviceName });
  post({ type: 'eval', step: trainer.stepIndex, metrics: (await trainer.evaluate()).metrics });
  post({ type: 'status', state: 'done', message: `Finished ${trainer.stepIndex} steps` });
}

/** Sends one completion as text (only the fields the UI shows). */
function postSample(step: number, sample: { prompt: string; completion: string; reward: number }): void {
  post({ type: 'sample', step, prompt: sample.prompt, completion: sample.completion, reward: sample.reward });
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function waitWhilePaused(control: RunControl): Promise<void> {
  return new Promise((resolve) => {
    control.wake = () => {
      if (control.paused && !control.stopped) return; // a spurious wake: keep waiting
      control.wake = null;
      resolve();
    };
  });
}

function reportError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  post({ type: 'error', message });
  post({ type: 'status', state: 'error', message });
}
