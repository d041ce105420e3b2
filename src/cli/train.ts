// `grpo-playground train`: run a GRPO run headless, a progress bar on stderr, one JSON object per line
// in --log ({"type":"train",...} per step, {"type":"eval",...} at step 0, every eval.every steps and at
// the end), and the trained model in --out: a Hugging Face folder, or for a LoRA run the PEFT adapter
// (adapter_config.json + adapter_model.safetensors); --merged-out writes a LoRA run's merged model as a Hugging
// Face folder (with or without --out). --checkpoint-every N saves
// OUT/checkpoint-K (the latest two are kept; also on Ctrl-C), and --resume OUT/checkpoint-K continues that
// run exactly: the same lines, bit for bit on the CPU backend, as the run never interrupted.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import cliProgress from 'cli-progress';
import { modelFolderFiles } from '../engine/io/model-folder.ts';
import { parseHubModelId } from '../engine/io/hub-id.ts';
import { writeModelFolder } from '../engine/io/node-source.ts';
import { envJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import type { HackingEvent } from '../rl/hacking.ts';
import { CHECKPOINT_JSON, CHECKPOINT_TENSORS, CheckpointError, checkpointFiles, readCheckpoint, type Checkpoint } from '../rl/checkpoint.ts';
import type { RunConfig } from '../rl/config/schema.ts';
import { Trainer } from '../rl/trainer.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { CliError, loadRunConfig, parseCount, type ConfigFlags } from './load-config.ts';
import { loadModel, modelLabel } from './models.ts';

export interface TrainFlags extends ConfigFlags {
  backend: BackendChoice;
  log?: string;
  out?: string;
  mergedOut?: string;
  model?: string;
  quiet?: boolean;
  checkpointEvery?: string;
  resume?: string;
}

/** Checkpoints kept in --out (older ones are removed): enough to survive a crash while the newest is written. */
const KEEP_CHECKPOINTS = 2;

export async function trainCommand(flags: TrainFlags): Promise<void> {
  const resumed = flags.resume !== undefined ? await loadCheckpoint(flags) : null;
  const config: RunConfig = resumed ? resumed.config : await loadRunConfig(flags);
  const checkpointEvery = flags.checkpointEvery !== undefined ? parseCount('--checkpoint-every', flags.checkpointEvery, 1) : 0;
  if (checkpointEvery > 0 && !flags.out) throw new CliError('--checkpoint-every needs --out (checkpoints go to OUT/checkpoint-STEP)');
  if (flags.mergedOut !== undefined && !config.lora) {
    throw new CliError('--merged-out is for LoRA runs (the run config has no lora block): a full fine-tuning run writes its whole model with --out');
  }
  // Synchronous appends: each line is on disk as soon as its step ends, even though training keeps the
  // event loop busy (the CPU backend never yields to I/O by itself). A resumed run appends to its log.
  const log = flags.log ? openLog(flags.log, resumed ? 'a' : 'w') : null;
  const backend = await createBackend(flags.backend);
  const loaded = await loadModel(config.model.id, flags.model, { quiet: flags.quiet });
  const trainer = await Trainer.create(config, loaded, backend, { judgeKey: envJudgeKeyProvider(process.env) });
  if (resumed) {
    try {
      trainer.restoreState(resumed.state);
    } catch (e) {
      throw new CliError(`--resume ${flags.resume}: ${(e as Error).message}`);
    }
  }
  const write = (obj: Record<string, unknown>) => {
    if (log !== null) writeSync(log, JSON.stringify(obj) + '\n');
  };

  const bar = flags.quiet
    ? null
    : new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: 'train |{bar}| {value}/{total} steps | reward {reward} | eval acc {acc} | {duration_formatted} (eta {eta_formatted})',
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
  const from = resumed ? `, resumed at step ${resumed.state.step} from ${flags.resume}` : '';
  process.stderr.write(`model ${modelLabel(config.model.id, flags.model)} (${loaded.layout.count.toLocaleString('en-US')} params) | task ${config.task.name} | backend ${backend.deviceName}${from}\n`);

  const warn = (events: HackingEvent[]) => {
    for (const ev of events) {
      write({ type: 'event', step: ev.step, kind: ev.kind, message: ev.message });
      bar?.stop();
      process.stderr.write(`warning (step ${ev.step}): ${ev.message}\n`);
    }
  };
  let acc = '-';
  const runEval = async (step: number) => {
    const e = await trainer.evaluate();
    write({ type: 'eval', step, ...e.metrics });
    warn(e.events);
    acc = e.metrics['eval/accuracy'].toFixed(2);
    return e.metrics;
  };
  const first = resumed?.firstEval ?? (await runEval(0));
  const save = async () => {
    if (!flags.out) return null;
    const dir = await saveCheckpoint(flags.out, { config, state: await trainer.saveState(), firstEval: first });
    return dir;
  };
  // Ctrl-C: finish the step in progress, save a checkpoint (with --out) and say how to resume.
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nstopping after this step (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const start = trainer.stepIndex;
    bar?.start(config.steps, start, { reward: '-', acc });
    for (let s = start + 1; s <= config.steps; s++) {
      const r = await trainer.step();
      write({ type: 'train', step: r.step, ...r.metrics });
      warn(r.events);
      if (config.eval.every > 0 && s % config.eval.every === 0 && s < config.steps) await runEval(s);
      bar?.update(s, { reward: r.metrics.reward.toFixed(3), acc });
      if ((checkpointEvery > 0 && s % checkpointEvery === 0 && s < config.steps) || (interrupted && s < config.steps)) {
        const dir = await save();
        if (interrupted) {
          bar?.stop();
          process.stderr.write(dir ? `interrupted at step ${s}; continue with: grpo-playground train --resume ${dir}\n` : `interrupted at step ${s} (nothing saved: no --out)\n`);
          process.exitCode = 130;
          return;
        }
      }
      await new Promise((resolve) => setImmediate(resolve)); // let the progress bar redraw and signals arrive
    }
  } finally {
    process.off('SIGINT', onSigint);
    if (log !== null && process.exitCode === 130) closeSync(log);
  }
  const last = config.steps > 0 ? await runEval(config.steps) : first;
  bar?.update(config.steps, { acc });
  bar?.stop();
  process.stderr.write(
    `eval/accuracy ${first['eval/accuracy'].toFixed(3)} -> ${last['eval/accuracy'].toFixed(3)}, ` +
      `eval/reward ${first['eval/reward'].toFixed(3)} -> ${last['eval/reward'].toFixed(3)}\n`,
  );
  if (flags.out) {
    const adapter = await trainer.peftAdapter(peftBaseModel(config.model.id, flags.model));
    await writeModelFolder(flags.out, adapter ?? modelFolderFiles(loaded, await trainer.weights()));
    if (checkpointEvery > 0) await saveCheckpoint(flags.out, { config, state: await trainer.saveState(), firstEval: first });
    process.stderr.write(adapter ? `wrote the LoRA adapter (PEFT format) to ${flags.out}\n` : `wrote model to ${flags.out}\n`);
  }
  if (flags.mergedOut) {
    await writeModelFolder(flags.mergedOut, modelFolderFiles(loaded, await trainer.weights()));
    process.stderr.write(`wrote the merged model (base + adapters) to ${flags.mergedOut}\n`);
  }
  if (log !== null) closeSync(log);
}

/**
 * What a PEFT adapter names as its base (adapter_config.json base_model_name_or_path): the --model folder, the Hub
 * repo of an `hf:` id (PEFT wants ORG/NAME, not our prefix), or the bundled model's id.
 */
export function peftBaseModel(modelId: string, modelFlag?: string): string {
  if (modelFlag !== undefined && !modelFlag.startsWith('hf:')) return modelFlag;
  const id = modelFlag ?? modelId;
  return id.startsWith('hf:') ? parseHubModelId(id).repo : id;
}

async function loadCheckpoint(flags: TrainFlags): Promise<Checkpoint> {
  const clash = (['preset', 'config', 'url', 'steps', 'seed'] as const).find((k) => flags[k] !== undefined);
  if (clash) throw new CliError(`--resume continues the checkpoint's own run config: drop --${clash}`);
  const dir = flags.resume as string;
  try {
    const [json, tensors] = await Promise.all([readFile(join(dir, CHECKPOINT_JSON), 'utf8'), readFile(join(dir, CHECKPOINT_TENSORS))]);
    return readCheckpoint(json, new Uint8Array(tensors.buffer, tensors.byteOffset, tensors.byteLength));
  } catch (e) {
    if (e instanceof CheckpointError) throw new CliError(`--resume ${dir}: ${e.message}`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`--resume ${dir}: ${code === 'ENOENT' ? `no ${CHECKPOINT_JSON} and ${CHECKPOINT_TENSORS} there` : (code ?? (e as Error).message)}`);
  }
}

/** Write OUT/checkpoint-STEP atomically (a temporary folder renamed into place), keep the newest KEEP_CHECKPOINTS. */
async function saveCheckpoint(out: string, c: Checkpoint): Promise<string> {
  const dir = join(out, `checkpoint-${c.state.step}`);
  const tmp = `${dir}.partial`;
  await rm(tmp, { recursive: true, force: true });
  await writeModelFolder(tmp, checkpointFiles(c));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  const steps = (await readdir(out))
    .map((name) => /^checkpoint-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  for (const step of steps.slice(KEEP_CHECKPOINTS)) await rm(join(out, `checkpoint-${step}`), { recursive: true, force: true });
  return dir;
}

function openLog(path: string, mode: 'w' | 'a'): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, mode);
  } catch (e) {
    throw new CliError(`cannot write --log ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
