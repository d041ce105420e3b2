// A whole run as one .zip file, and back: run.json (name, colour, config, state, step, warnings, kept rollouts,
// the person's ratings of sample completions for the weight fit),
// metrics.jsonl (every saved point, the CLI log's format) and, when the run has one, its checkpoint as the two
// files of src/rl/checkpoint.ts under checkpoint/. Reading one checks everything before anything is kept and
// throws RunFileError with one line naming what is wrong.
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { parseRunConfig } from '../../rl/config/schema.ts';
import type { CheckpointFiles, StepRollouts } from '../../worker/protocol.ts';
import type { MetricPoint, RunOutcome, RunRecord, RunWarning } from '../store/runs.ts';
import { checkedLabels, type PreferenceLabel } from '../panels/preference-labels.ts';
import { metricsJsonl, type RunSeries } from './formats.ts';

export const RUN_FILE_FORMAT = 'grpo-playground-run';
const VERSION = 1;
/** Largest file Import reads, and largest entry it inflates (a zip bomb stops here). */
export const MAX_RUN_FILE_BYTES = 2 ** 31;
const CHECKPOINT_JSON = 'checkpoint/checkpoint.json';
const CHECKPOINT_TENSORS = 'checkpoint/trainer_state.safetensors';

export class RunFileError extends Error {
  override name = 'RunFileError';
}

export interface RunFile {
  run: Omit<RunRecord, 'id' | 'train' | 'evals'>;
  series: RunSeries;
  checkpoint: (CheckpointFiles & { step: number }) | null;
  /** Ratings of sample completions (preference-labels.ts); absent or malformed entries read back as none. */
  labels?: PreferenceLabel[];
}

export function writeRunFile({ run, series, checkpoint, labels }: RunFile): Uint8Array {
  const meta = {
    format: RUN_FILE_FORMAT,
    version: VERSION,
    name: run.name,
    color: run.color,
    config: run.config,
    state: run.state,
    step: run.step,
    checkpointStep: checkpoint?.step ?? null,
    warnings: run.warnings,
    rollouts: run.rollouts,
    ...(labels?.length ? { labels } : {}),
  };
  const files: Zippable = {
    'run.json': strToU8(JSON.stringify(meta)),
    'metrics.jsonl': strToU8(metricsJsonl(series)),
  };
  if (checkpoint) {
    files[CHECKPOINT_JSON] = strToU8(checkpoint.json);
    // Weights barely compress; storing them keeps export fast.
    files[CHECKPOINT_TENSORS] = [checkpoint.tensors, { level: 0 }];
  }
  return zipSync(files, { level: 6 });
}

const STATES: readonly RunOutcome[] = ['loading', 'ready', 'training', 'paused', 'done', 'error', 'reset', 'interrupted'];

export function readRunFile(bytes: Uint8Array): RunFile {
  if (bytes.byteLength > MAX_RUN_FILE_BYTES) throw new RunFileError('The file is larger than 2 GB: not a run file of this playground.');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.originalSize <= MAX_RUN_FILE_BYTES && !f.name.endsWith('/') });
  } catch (e) {
    throw new RunFileError(`The file is not a zip archive (${(e as Error).message}).`);
  }
  if (!files['run.json']) throw new RunFileError('The zip has no run.json: not a run exported from this playground.');
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(strFromU8(files['run.json']));
  } catch (e) {
    throw new RunFileError(`run.json is not valid JSON: ${(e as Error).message}`);
  }
  if (meta?.format !== RUN_FILE_FORMAT) throw new RunFileError('run.json is not a GRPO Playground run.');
  if (meta.version !== VERSION) throw new RunFileError(`run.json has version ${String(meta.version)}; this page reads version ${VERSION}.`);
  let config;
  try {
    config = parseRunConfig(meta.config);
  } catch (e) {
    throw new RunFileError(`run.json holds an invalid run config: ${(e as Error).message}`);
  }
  const step = meta.step;
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) throw new RunFileError('run.json: step must be a non-negative integer.');
  const state = STATES.includes(meta.state as RunOutcome) ? (meta.state as RunOutcome) : 'done';
  const series = readMetrics(files['metrics.jsonl'] ? strFromU8(files['metrics.jsonl']) : '');
  const warnings = checkedArray<RunWarning>(meta.warnings, 'warnings', (w) => typeof w.step === 'number' && typeof w.kind === 'string' && typeof w.message === 'string');
  const rollouts = checkedArray<StepRollouts>(meta.rollouts, 'rollouts', isStepRollouts);
  let checkpoint: RunFile['checkpoint'] = null;
  if (files[CHECKPOINT_JSON] && files[CHECKPOINT_TENSORS]) {
    const cstep = meta.checkpointStep;
    if (typeof cstep !== 'number' || !Number.isInteger(cstep) || cstep < 0) throw new RunFileError('run.json: checkpointStep must be a non-negative integer.');
    checkpoint = { step: cstep, json: strFromU8(files[CHECKPOINT_JSON]), tensors: files[CHECKPOINT_TENSORS] };
  }
  const name = typeof meta.name === 'string' ? meta.name.slice(0, 80) : 'Imported run';
  const color = typeof meta.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(meta.color) ? meta.color : '#6b7280';
  return { run: { name, color, reference: false, config, state, step, warnings, rollouts }, series, checkpoint, labels: checkedLabels(meta.labels) };
}

function readMetrics(text: string): RunSeries {
  const train: MetricPoint[] = [];
  const evals: MetricPoint[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new RunFileError(`metrics.jsonl line ${i + 1} is not valid JSON: ${(e as Error).message}`);
    }
    const { type, step, ...rest } = obj ?? {};
    if ((type !== 'train' && type !== 'eval') || typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
      throw new RunFileError(`metrics.jsonl line ${i + 1} needs "type" train or eval and an integer "step".`);
    }
    // Non-finite values are written as null (JSON has no NaN): they come back as missing.
    const metrics = Object.fromEntries(Object.entries(rest).filter((e): e is [string, number] => typeof e[1] === 'number'));
    (type === 'train' ? train : evals).push({ step, metrics });
  });
  train.sort((a, b) => a.step - b.step);
  evals.sort((a, b) => a.step - b.step);
  return { train, evals };
}

function checkedArray<T>(value: unknown, what: string, ok: (x: Record<string, unknown>) => boolean): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((x) => x && typeof x === 'object' && ok(x))) throw new RunFileError(`run.json: ${what} are malformed.`);
  return value as T[];
}

/** The shape the rollout viewer relies on (its text is rendered as text whatever it says). */
function isStepRollouts(r: Record<string, unknown>): boolean {
  return (
    typeof r.step === 'number' &&
    Array.isArray(r.criteria) &&
    Array.isArray(r.groups) &&
    r.groups.every(
      (g: Record<string, unknown>) =>
        g &&
        typeof g.prompt === 'string' &&
        typeof g.answer === 'string' &&
        Array.isArray(g.completions) &&
        g.completions.every(
          (c: Record<string, unknown>) =>
            c && typeof c.text === 'string' && typeof c.reward === 'number' && Array.isArray(c.tokens) && c.scores !== null && typeof c.scores === 'object',
        ),
    )
  );
}
