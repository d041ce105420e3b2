// A run too big for the machine is refused before anything is allocated, with the numbers (the CPU backend has a
// budget from the machine's memory), and the plan counts what the run's shapes imply.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { mergeWithDefaults } from './config/schema.ts';
import { planRun } from './memory-plan.ts';
import { getPreset } from './presets.ts';
import { createTask } from './tasks/index.ts';
import { Trainer } from './trainer.ts';

const loaded = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', 'tiny-arith')));
const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };

describe('run memory plan', () => {
  it('refuses 1024 prompts x G 256 on a CPU with a 1 GiB budget before allocating, naming the biggest part', async () => {
    const config = mergeWithDefaults({ ...getPreset('arithmetic'), grpo: { ...getPreset('arithmetic').grpo, promptsPerStep: 1024, groupSize: 256 } });
    const be = new CpuBackend({ threads: 1, memoryBudgetBytes: 2 ** 30 });
    const started = performance.now();
    await expect(Trainer.create(config, loaded, be)).rejects.toThrow(
      /^this run does not fit CPU.*: it needs about \d+\.\d+ GiB \(most of it activations, \d+\.\d+ GiB\) but 1\.00 GiB is available\. Use a smaller model, fewer prompts per step/,
    );
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('the default preset fits a 1 GiB budget and grows with the group size', () => {
    const preset = getPreset('arithmetic');
    const task = createTask(preset.task.name, preset.task.params);
    const small = planRun(preset, loaded, task, codec);
    expect(small.totalBytes).toBeLessThan(2 ** 30);
    const doubled = planRun(mergeWithDefaults({ ...preset, grpo: { ...preset.grpo, groupSize: preset.grpo.groupSize * 2 } }), loaded, task, codec);
    // Every training buffer is [B*T, ...] with B = P x G, so doubling G doubles the activations exactly.
    expect(doubled.parts.activations).toBe(2 * small.parts.activations);
    expect(doubled.parts.weights).toBe(small.parts.weights);
  });
});
