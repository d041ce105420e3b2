// The Export menu's actions and Import: each reads the run's saved data (every point, not the store's thinned
// copy), builds the file (formats.ts, run-file.ts, a zipped model folder) and downloads it. Import checks a run
// file whole, then adds it to the database and the run list as a new run.
import { zipSync } from 'fflate';
import { useStore } from '../store.ts';
import { nextRunNumber } from '../store/reduce.ts';
import { appendDownsampled, type MetricPoint, type RunRecord } from '../store/runs.ts';
import { usePersist } from '../persist/persist-store.ts';
import { addImportedRun, readCheckpoint, readSavedSeries } from '../persist/saved-runs.ts';
import { setMarks } from '../persist/writer.ts';
import { useLabels } from '../panels/preference-labels.ts';
import { currentSecrets } from '../secrets.ts';
import type { UiToWorker, WorkerToUi } from '../../worker/protocol.ts';
import { download } from './download.ts';
import { fileStem, metricsCsv, metricsJsonl, rolloutsJsonl } from './formats.ts';
import { readRunFile, RunFileError, writeRunFile } from './run-file.ts';

async function series(run: RunRecord) {
  return (await readSavedSeries(run.id).catch(() => null)) ?? { train: run.train, evals: run.evals };
}

export async function exportMetricsJsonl(run: RunRecord): Promise<void> {
  download(`${fileStem(run)}.metrics.jsonl`, metricsJsonl(await series(run)), 'application/x-ndjson');
}

export async function exportMetricsCsv(run: RunRecord): Promise<void> {
  download(`${fileStem(run)}.metrics.csv`, metricsCsv(await series(run)), 'text/csv');
}

export function exportRollouts(run: RunRecord): void {
  download(`${fileStem(run)}.rollouts.jsonl`, rolloutsJsonl(run), 'application/x-ndjson');
}

export async function exportRunFile(run: RunRecord): Promise<void> {
  const saved = await readCheckpoint(run.id).catch(() => null);
  const checkpoint = saved ? { step: saved.step, ...saved.checkpoint } : null;
  const bytes = writeRunFile({ run, series: await series(run), checkpoint, labels: useLabels.getState().labels });
  download(`${fileStem(run)}.run.zip`, bytes as Uint8Array<ArrayBuffer>, 'application/zip');
}

/** The trained model (at the run's checkpoint) as a zipped Hugging Face folder; throws with one line. */
export async function exportModelZip(run: RunRecord): Promise<void> {
  const saved = await readCheckpoint(run.id);
  if (!saved) throw new Error('This run has no checkpoint yet: the model is saved at Pause, Stop, the end, and every N steps.');
  const files = await modelFilesFromWorker({ type: 'export-model', config: run.config, checkpoint: saved.checkpoint, secrets: currentSecrets() });
  const stem = `${fileStem(run)}-step-${saved.step}`;
  const zip = zipSync(Object.fromEntries(files.map(([name, bytes]) => [`${stem}/${name}`, [bytes, { level: name.endsWith('.safetensors') ? 0 : 6 }]])));
  download(`${stem}.zip`, zip as Uint8Array<ArrayBuffer>, 'application/zip');
}

/** A LoRA run's adapter (at its checkpoint) in PEFT's format, zipped: adapter_config.json + adapter_model.safetensors. */
export async function exportAdapterZip(run: RunRecord): Promise<void> {
  const saved = await readCheckpoint(run.id);
  if (!saved) throw new Error('This run has no checkpoint yet: the model is saved at Pause, Stop, the end, and every N steps.');
  const files = await modelFilesFromWorker({ type: 'export-model', kind: 'adapter', config: run.config, checkpoint: saved.checkpoint, secrets: currentSecrets() });
  const stem = `${fileStem(run)}-step-${saved.step}-adapter`;
  const zip = zipSync(Object.fromEntries(files.map(([name, bytes]) => [`${stem}/${name}`, [bytes, { level: name.endsWith('.safetensors') ? 0 : 6 }]])));
  download(`${stem}.zip`, zip as Uint8Array<ArrayBuffer>, 'application/zip');
}

/** A short-lived trainer worker builds the folder (the training worker, if any, is left alone). */
function modelFilesFromWorker(message: UiToWorker): Promise<[string, Uint8Array][]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('../../worker/trainer.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (event: MessageEvent<WorkerToUi>) => {
      const m = event.data;
      if (m.type === 'model-files') resolve(m.files);
      else if (m.type === 'error') reject(new Error(m.message));
      else return;
      w.terminate();
    };
    w.onerror = (e) => {
      reject(new Error(e.message || 'The export worker failed to start.'));
      w.terminate();
    };
    w.postMessage(message);
  });
}

function thinned(points: MetricPoint[]): MetricPoint[] {
  return points.reduce<MetricPoint[]>((out, p) => appendDownsampled(out, p), []);
}

/** Import a run file as a new run; returns the new run's name, or throws RunFileError / a storage error. */
export async function importRunFile(file: Blob): Promise<string> {
  const parsed = readRunFile(new Uint8Array(await file.arrayBuffer()));
  const n = nextRunNumber(useStore.getState().runs);
  const full: RunRecord = {
    ...parsed.run,
    id: `run-${n}`,
    name: `${parsed.run.name} (imported)`.slice(0, 80),
    state: ['loading', 'ready', 'training', 'paused'].includes(parsed.run.state) ? 'interrupted' : parsed.run.state,
    train: parsed.series.train,
    evals: parsed.series.evals,
  };
  await addImportedRun(full, parsed.checkpoint);
  const run = { ...full, train: thinned(full.train), evals: thinned(full.evals) };
  setMarks(run);
  useStore.setState((s) => ({ runs: [...s.runs, run] }));
  if (parsed.checkpoint) usePersist.setState((s) => ({ checkpoints: { ...s.checkpoints, [run.id]: parsed.checkpoint!.step } }));
  if (parsed.labels?.length) useLabels.getState().merge(parsed.labels);
  return run.name;
}

export { RunFileError };
