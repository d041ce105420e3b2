// `grpo-playground train`: run a GRPO run headless, a progress bar on stderr, one JSON object per line
// in --log ({"type":"train",...} per step, {"type":"eval",...} at step 0, every eval.every steps and at
// the end), and the trained model as a Hugging Face folder in --out.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import cliProgress from 'cli-progress';
import { modelFolderFiles } from '../engine/io/model-folder.ts';
import { writeModelFolder } from '../engine/io/node-source.ts';
import { envJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import type { HackingEvent } from '../rl/hacking.ts';
import { Trainer } from '../rl/trainer.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { CliError, loadRunConfig, type ConfigFlags } from './load-config.ts';
import { loadModel, modelLabel } from './models.ts';

export interface TrainFlags extends ConfigFlags {
  backend: BackendChoice;
  log?: string;
  out?: string;
  model?: string;
  quiet?: boolean;
}

export async function trainCommand(flags: TrainFlags): Promise<void> {
  const config = await loadRunConfig(flags);
  // Synchronous appends: each line is on disk as soon as its step ends, even though training keeps the
  // event loop busy (the CPU backend never yields to I/O by itself).
  const log = flags.log ? openLog(flags.log) : null;
  const backend = await createBackend(flags.backend);
  const loaded = await loadModel(config.model.id, flags.model, { quiet: flags.quiet });
  const trainer = await Trainer.create(config, loaded, backend, { judgeKey: envJudgeKeyProvider(process.env) });
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
  process.stderr.write(`model ${modelLabel(config.model.id, flags.model)} (${loaded.layout.count.toLocaleString('en-US')} params) | task ${config.task.name} | backend ${backend.deviceName}\n`);

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
  const first = await runEval(0);
  bar?.start(config.steps, 0, { reward: '-', acc });
  for (let s = 1; s <= config.steps; s++) {
    const r = await trainer.step();
    write({ type: 'train', step: r.step, ...r.metrics });
    warn(r.events);
    if (config.eval.every > 0 && s % config.eval.every === 0 && s < config.steps) await runEval(s);
    bar?.update(s, { reward: r.metrics.reward.toFixed(3), acc });
    await new Promise((resolve) => setImmediate(resolve)); // let the progress bar redraw and signals arrive
  }
  const last = config.steps > 0 ? await runEval(config.steps) : first;
  bar?.update(config.steps, { acc });
  bar?.stop();
  process.stderr.write(
    `eval/accuracy ${first['eval/accuracy'].toFixed(3)} -> ${last['eval/accuracy'].toFixed(3)}, ` +
      `eval/reward ${first['eval/reward'].toFixed(3)} -> ${last['eval/reward'].toFixed(3)}\n`,
  );
  if (flags.out) {
    await writeModelFolder(flags.out, modelFolderFiles(loaded, await trainer.weights()));
    process.stderr.write(`wrote model to ${flags.out}\n`);
  }
  if (log !== null) closeSync(log);
}

function openLog(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'w');
  } catch (e) {
    throw new CliError(`cannot write --log ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
