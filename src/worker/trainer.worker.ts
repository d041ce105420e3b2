// The trainer Web Worker: receives UiToWorker messages, runs one GRPO run at a time (run-loop.ts) and reports
// progress as WorkerToUi messages (protocol.ts). Loads the model folder from /models/<id>/ on the page's
// origin, or a Hub model through the browser's model cache (load-model.ts). Every failure becomes an `error`
// message; nothing is left as an unhandled rejection. Imports nothing from the UI.
/// <reference lib="webworker" />
import type { RunConfig } from '../rl/config/schema.ts';
import type { BackendPreference, RunSecrets, UiToWorker, WorkerToUi } from './protocol.ts';
import { cpuSpeedNote, loadRunModel } from './load-model.ts';
import { chooseBackend } from './choose-backend.ts';
import { RunLoop, type LoadedRun } from './run-loop.ts';
import { exportModelFiles } from './checkpoint-export.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: WorkerToUi, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

let current: RunLoop | null = null;

scope.onmessage = (event: MessageEvent<UiToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'start': {
      if (current) {
        post({ type: 'error', message: 'A run is already in progress; stop it first.' });
        return;
      }
      const { config, backend, startPaused, secrets } = message;
      const run = new RunLoop({ post, load: (c, pref, progress) => load(c, pref, progress, secrets) });
      current = run;
      void run.run({ config, backend, startPaused, secrets }).finally(() => {
        if (current === run) current = null;
      });
      return;
    }
    case 'pause':
      current?.pause();
      return;
    case 'resume':
      current?.resume();
      return;
    case 'step':
      current?.step();
      return;
    case 'stop':
      current?.stop(message.evaluate ?? true);
      return;
    // Runs that last (issue 13): the checkpoint cadence, a resumed run, a model export (checkpoint-saver.ts, checkpoint-export.ts).
    case 'checkpoint-every':
      current?.setCheckpointEvery(message.steps);
      return;
    case 'start-from-checkpoint': {
      if (current) {
        post({ type: 'error', message: 'A run is already in progress; stop it first.' });
        return;
      }
      const { config, backend, secrets, checkpoint } = message;
      const run = new RunLoop({ post, load: (c, pref, progress) => load(c, pref, progress, secrets) });
      current = run;
      void run.run({ config, backend, secrets, resume: checkpoint }).finally(() => {
        if (current === run) current = null;
      });
      return;
    }
    case 'export-model':
      void exportModelFiles(message.checkpoint, (c, pref, progress) => load(c, pref, progress, message.secrets), message.kind).then(
        (files) => post({ type: 'model-files', files }, files.map(([, bytes]) => bytes.buffer)),
        (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
  }
};

// A safety net: anything that escapes the run's own try/catch is still reported to the UI (key redacted).
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  if (current) current.fail(event.reason);
  else {
    const message = event.reason instanceof Error ? event.reason.message : String(event.reason);
    post({ type: 'error', message });
    post({ type: 'status', state: 'error', message });
  }
});

async function load(config: RunConfig, preference: BackendPreference, progress: (message: string) => void, secrets?: RunSecrets): Promise<LoadedRun> {
  const model = await loadRunModel(config, secrets, progress);
  progress('Preparing the compute backend…');
  const { backend, note } = await chooseBackend(preference);
  return { model, backend, deviceName: backend.deviceName, backendNote: cpuSpeedNote(model.layout.count, backend.deviceName, note) };
}
