// `grpo-playground pretrain`: the recipe for the bundled tiny models. A random-init Llama-style model with
// the character tokenizer is taught the chat format and the task by supervised fine-tuning on rows from
// the task's own seeded generator (never its held-out rows), then written as a Hugging Face folder.
// Deterministic for a seed: the same command rebuilds the same weights, bit for bit.
import { modelFolderFiles, createTinyModel } from '../engine/io/model-folder.ts';
import { writeModelFolder } from '../engine/io/node-source.ts';
import { supervisedFineTune } from '../rl/sft.ts';
import { createTask } from '../rl/tasks/index.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { parseCount } from './load-config.ts';

export interface PretrainFlags {
  task: string;
  steps: string;
  seed: string;
  out: string;
  batch: string;
  lr: string;
  hidden: string;
  layers: string;
  backend: BackendChoice;
}

export async function pretrainCommand(flags: PretrainFlags): Promise<void> {
  const steps = parseCount('--steps', flags.steps, 1);
  const seed = parseCount('--seed', flags.seed, 0);
  const batchSize = parseCount('--batch', flags.batch, 1);
  const hidden = parseCount('--hidden', flags.hidden, 8);
  const layers = parseCount('--layers', flags.layers, 1);
  const lr = Number(flags.lr);
  const task = createTask(flags.task, {});
  const base = createTinyModel({
    seed,
    config: { hidden_size: hidden, intermediate_size: hidden * 2, num_hidden_layers: layers, num_attention_heads: 4, num_key_value_heads: 2 },
  });
  const backend = await createBackend(flags.backend);
  const t0 = performance.now();
  process.stderr.write(`pretrain ${base.layout.count.toLocaleString('en-US')} params on ${task.name} for ${steps} steps (batch ${batchSize}, lr ${lr})\n`);
  const params = await supervisedFineTune(
    base,
    backend,
    task,
    (i) => {
      const row = task.trainRow(seed, i);
      return { row, completion: `<answer>${row.answer}</answer>` };
    },
    {
      steps,
      batchSize,
      learningRate: lr,
      onStep: (s, loss) => {
        if ((s + 1) % 10 === 0 || s === steps - 1) process.stderr.write(`step ${s + 1}/${steps} loss ${loss.toFixed(4)}\n`);
      },
    },
  );
  await writeModelFolder(flags.out, modelFolderFiles({ ...base, params }, params));
  process.stderr.write(`wrote ${flags.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
