// The page's model export: the folder built from a checkpoint loads back with the engine's own loader and holds
// exactly the trained weights (the same floats as the trainer that wrote the checkpoint); for a LoRA run, the
// base with the trained adapters merged in.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import type { Backend } from '../engine/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { memorySource } from '../engine/io/sources.ts';
import { CHECKPOINT_JSON, CHECKPOINT_TENSORS, checkpointFiles } from '../rl/checkpoint.ts';
import { mergeWithDefaults } from '../rl/config/schema.ts';
import { getPreset } from '../rl/presets.ts';
import { Trainer } from '../rl/trainer.ts';
import { exportModelFiles } from './checkpoint-export.ts';

const dir = join(import.meta.dirname, '..', '..', 'public', 'models', 'tiny-arith');
const preset = getPreset('arithmetic');
const config = mergeWithDefaults({ ...preset, steps: 2, grpo: { ...preset.grpo, promptsPerStep: 2, groupSize: 4 }, task: { ...preset.task, evalSize: 2 } });
const load = async () => ({ model: await loadModelFolder(nodeDirSource(dir)), backend: new CpuBackend({ threads: 1 }) as unknown as Backend, deviceName: 'CPU' });

describe('exportModelFiles', () => {
  it('the exported folder loads back and holds the trained weights', async () => {
    const { model, backend } = await load();
    const trainer = await Trainer.create(config, model, backend);
    await trainer.step();
    await trainer.step();
    const trained = await trainer.weights();
    const files = checkpointFiles({ config, state: await trainer.saveState() });
    const out = await exportModelFiles({ json: files.get(CHECKPOINT_JSON) as string, tensors: files.get(CHECKPOINT_TENSORS) as Uint8Array }, load);
    expect(out.map(([name]) => name)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']));
    const back = await loadModelFolder(memorySource(new Map(out)));
    expect(back.params.length).toBe(trained.length);
    expect(back.params.every((w, i) => Object.is(w, trained[i]))).toBe(true);
    // Training changed the weights, so equality above is not the untouched base.
    expect(model.params.some((w, i) => w !== trained[i])).toBe(true);
  });

  it('a LoRA run exports the merged model', async () => {
    const lora = mergeWithDefaults({ ...config, lora: { rank: 2 } });
    const { model, backend } = await load();
    const trainer = await Trainer.create(lora, model, backend);
    await trainer.step();
    await trainer.step();
    const merged = await trainer.weights();
    const files = checkpointFiles({ config: lora, state: await trainer.saveState() });
    const out = await exportModelFiles({ json: files.get(CHECKPOINT_JSON) as string, tensors: files.get(CHECKPOINT_TENSORS) as Uint8Array }, load);
    const back = await loadModelFolder(memorySource(new Map(out)));
    expect(back.params.every((w, i) => Object.is(w, merged[i]))).toBe(true);
    expect(model.params.some((w, i) => w !== merged[i])).toBe(true);
  });
});
