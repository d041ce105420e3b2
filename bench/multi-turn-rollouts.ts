// `npx tsx --import ./scripts/register-raw-loader.mjs bench/multi-turn-rollouts.ts [steps] [cpu|webgpu]`: rollout
// time per GRPO step of the multi-turn presets with the KV cache kept across turns (the default) against
// re-prefilling every conversation each turn. The calculator and guess-number presets with their own models
// (tiny-tools, tiny-arith), prompts x G and sampling settings, on the CPU backend (one thread) or WebGPU (Dawn;
// SwiftShader without a GPU, where the figures are CPU-bound). Each step's seed samples new rows; the two ways run alternately on the
// same rows and seed (so load from other processes falls on both alike) and must sample the same tokens.
// Prints medians over the steps.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Backend, TensorLike } from '../src/engine/backend.ts';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { loadModelFolder } from '../src/engine/io/model-folder.ts';
import { nodeDirSource } from '../src/engine/io/node-source.ts';
import { Model } from '../src/engine/model.ts';
import { getPreset } from '../src/rl/presets.ts';
import { sampleRollouts, type Rollout } from '../src/rl/rollout.ts';
import { createTask } from '../src/rl/tasks/index.ts';
import { WebGpuBackend } from '../src/engine/webgpu/backend.ts';
import { nodeGpu } from '../src/engine/webgpu/node-gpu.ts';
import { prepareVulkanEnv } from './gpu-env.ts';
import { median } from './stats.ts';

const steps = Number(process.argv[2] ?? 7);
if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`steps must be a positive integer, not '${process.argv[2]}'`);
const backendName = process.argv[3] ?? 'cpu';
if (backendName !== 'cpu' && backendName !== 'webgpu') throw new Error(`backend must be cpu or webgpu, not '${backendName}'`);
if (backendName === 'webgpu') prepareVulkanEnv();
const be: Backend<TensorLike, TensorLike> =
  backendName === 'webgpu' ? ((await WebGpuBackend.create(await nodeGpu())) as unknown as Backend<TensorLike, TensorLike>) : new CpuBackend({ threads: 1 });
console.log(`backend: ${be.deviceName}`);

const sameTokens = (a: Rollout[], b: Rollout[]) =>
  a.every((r, i) => r.completion.length === b[i].completion.length && r.completion.every((t, j) => t === b[i].completion[j]));

for (const name of ['calculator', 'guess-number']) {
  const config = getPreset(name);
  const loaded = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', 'public', 'models', config.model.id)));
  const params = be.allocFloat(loaded.layout.total);
  be.uploadFloat(params, loaded.params);
  const model = new Model(be, loaded.layout, params);
  const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
  const task = createTask(config.task.name, config.task.params);
  const P = config.grpo.promptsPerStep;
  const G = config.grpo.groupSize;
  const times = { reuse: [] as number[], prefill: [] as number[] };
  const turns: number[] = [];
  const contextTokens: number[] = [];
  for (let s = 0; s <= steps; s++) {
    const rows = Array.from({ length: P }, (_, i) => task.trainRow(100 + s, i));
    const timed = async (reuseKvCache: boolean) => {
      const t0 = performance.now();
      const out = await sampleRollouts(model, codec, task, rows, G, config.sampling, 100 + s, { reuseKvCache });
      return { out, ms: performance.now() - t0 };
    };
    const a = await timed(true);
    const b = await timed(false);
    if (!sameTokens(a.out, b.out)) throw new Error(`${name} step ${s}: the two ways sampled different tokens`);
    if (s === 0) continue; // warm-up
    times.reuse.push(a.ms);
    times.prefill.push(b.ms);
    turns.push(a.out.reduce((n, r) => n + r.turns, 0) / a.out.length);
    contextTokens.push(a.out.reduce((n, r) => n + r.prompt.length + r.completion.length, 0) / a.out.length);
  }
  const mr = median(times.reuse);
  const mp = median(times.prefill);
  console.log(
    `${name} (${config.model.id}, ${P} prompts x G ${G}, ${config.sampling.maxNewTokens} new tokens per turn, mean ${median(turns).toFixed(2)} turns, ` +
      `${median(contextTokens).toFixed(0)} tokens per conversation): rollout per step, median of ${steps}: ` +
      `KV cache kept ${mr.toFixed(0)} ms, re-prefilled ${mp.toFixed(0)} ms, speedup ${(mp / mr).toFixed(2)}x ` +
      `(ranges ${Math.min(...times.reuse).toFixed(0)}-${Math.max(...times.reuse).toFixed(0)} / ${Math.min(...times.prefill).toFixed(0)}-${Math.max(...times.prefill).toFixed(0)} ms)`,
  );
  be.free(params);
}
process.exit(0);
