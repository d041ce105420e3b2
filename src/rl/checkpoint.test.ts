// Exact resume: a run checkpointed at step K, written to files, read back into a fresh Trainer and continued,
// produces the same metrics and weights, bit for bit on the CPU backend, as the same run never interrupted.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { CHECKPOINT_JSON, CHECKPOINT_TENSORS, checkpointFiles, readCheckpoint } from './checkpoint.ts';
import { mergeWithDefaults } from './config/schema.ts';
import { getPreset } from './presets.ts';
import { Trainer } from './trainer.ts';

const loaded = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', 'public', 'models', 'tiny-arith')));
const preset = getPreset('arithmetic');
// A short cosine schedule with warmup, KL on (a reference), eval rows few: every piece of state matters.
const config = mergeWithDefaults({
  ...preset,
  steps: 4,
  grpo: { ...preset.grpo, promptsPerStep: 3, groupSize: 4, beta: 0.04, warmupSteps: 1, lrSchedule: 'cosine', numIterations: 2 },
  task: { ...preset.task, evalSize: 6 },
});
const TIMING = new Set(['step_time', 'tokens_per_s']);
const comparable = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).filter(([k]) => !TIMING.has(k)));

async function trainer() {
  return Trainer.create(config, loaded, new CpuBackend({ threads: 1 }));
}

describe('checkpoint and exact resume', () => {
  it('resumed at step 2 equals the uninterrupted run: metrics, evaluation, weights, hacking monitor', async () => {
    const straight = await trainer();
    const expected: Record<string, number>[] = [];
    for (let s = 1; s <= 4; s++) expected.push(comparable((await straight.step()).metrics));
    const expectedEval = (await straight.evaluate()).metrics;
    const expectedWeights = await straight.weights();

    const first = await trainer();
    await first.step();
    await first.step();
    const files = checkpointFiles({ config, state: await first.saveState() });
    const back = readCheckpoint(files.get(CHECKPOINT_JSON) as string, files.get(CHECKPOINT_TENSORS) as Uint8Array);
    expect(back.state.step).toBe(2);
    expect(back.config).toEqual(config);

    const resumed = await trainer();
    resumed.restoreState(back.state);
    expect(resumed.stepIndex).toBe(2);
    const got: Record<string, number>[] = [];
    for (let s = 3; s <= 4; s++) got.push(comparable((await resumed.step()).metrics));
    expect(got).toEqual(expected.slice(2));
    expect((await resumed.evaluate()).metrics).toEqual(expectedEval);
    const weights = await resumed.weights();
    expect(weights.length).toBe(expectedWeights.length);
    expect(weights.every((w, i) => Object.is(w, expectedWeights[i]))).toBe(true);
  });

  it('without the optimiser state the continuation differs (the test can fail)', async () => {
    const a = await trainer();
    await a.step();
    const state = await a.saveState();
    const cont = await trainer();
    cont.restoreState({ ...state, optimizer: { t: 0, m: new Float32Array(state.optimizer.m.length), v: new Float32Array(state.optimizer.v.length) } });
    const b = await trainer();
    b.restoreState(state);
    const [x, y] = [(await cont.step()).metrics, (await b.step()).metrics];
    expect(x.reward).toBe(y.reward); // same weights, same seed: the same samples
    expect(await cont.weights()).not.toEqual(await b.weights()); // different moments: a different update
  });

  it('refuses a checkpoint of another model or a damaged file with one message', async () => {
    const t = await trainer();
    const state = await t.saveState();
    expect(() => t.restoreState({ ...state, trainable: new Float32Array(10) })).toThrow(/the checkpoint holds 10 trainable floats, this run has \d+/);
    const files = checkpointFiles({ config, state });
    expect(() => readCheckpoint('{"format":"other"}', files.get(CHECKPOINT_TENSORS) as Uint8Array)).toThrow('checkpoint.json is not a GRPO Playground checkpoint');
    expect(() => readCheckpoint(files.get(CHECKPOINT_JSON) as string, new Uint8Array(12))).toThrow(/^trainer_state\.safetensors: /);
  });
});
