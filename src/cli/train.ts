// `grpo-playground train`: run a GRPO run headless, a progress bar on stderr, one JSON object per line
// in --log ({"type":"train",...} per step, {"type":"eval",...} at step 0, every eval.every steps and at
// the end), and the trained model as a Hugging Face folder in --out.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { modelFolderFiles } from '../engine/io/model-folder.ts';
import { writeModelFolder } from '../engine/io/node-source.ts';
import { Trainer } from '../rl/trainer.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { loadRunConfig, type ConfigFlags } from './load-config.ts';
import { loadModel } from './models.ts';

export interface TrainFlags extends ConfigFlags {
  backend: BackendChoice;
  log?: string;
  out?: string;
  model?: string;
  quiet?: boolean;
}

export async function trainCommand(flags: TrainFlags): Promise<void> {
  const config = await loadRunConfig(flags);
  const backend = await createBackend(flags.backend);
  const loaded = await loadModel(config.model.id, flags.model);
  const trainer = await Trainer.create(config, loaded, backend);
  const log = flags.log ? await openLog(flags.log) : null;
  const write = (obj: Record<string, unknown>) => log?.write(JSON.stringify(obj) + '\n');

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
  process.stderr.write(`model ${config.model.id} (${loaded.layout.count.toLocaleString('en-US')} params) | task ${config.task.name} | backend ${backend.deviceName}\n`);

  let acc = '-';
  const runEval = async (step: number) => {
    const e = await trainer.evaluate();
    write({ type: 'eval', step, ...e.metrics });
    acc = e.metrics['eval/accuracy'].toFixed(2);
    return e.metrics;
  };
  const first = await runEval(0);
  bar?.start(config.steps, 0, { reward: '-', acc });
  for (let s = 1; s <= config.steps; s++) {
    const r = await trainer.step();
    write({ type: 'train', step: r.step, ...r.metrics });
    if (config.eval.every > 0 && s % config.eval.every === 0 && s < config.steps) await runEval(s);
    bar?.update(s, { reward: r.metrics.reward.toFixed(3), acc });
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
  if (log) await new Promise<void>((res) => log.end(res));
}

async function openLog(path: string): Promise<WriteStream> {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (dir) await mkdir(dir, { recursive: true });
  return createWriteStream(path);
}
