// Where a LoRA GRPO step's GPU time goes, kernel by kernel: records every dispatch of one phase (sampling, policy
// forward, backward) of a random-init model at a real shape (optionally fewer layers: the per-layer work is the
// same at any depth), then replays each dispatch on its own and waits for it, so each gets its own wall time.
// Prints the time per kernel name (with dispatch count and grid), slowest first. For finding pathological kernels
// on SwiftShader; replayed dispatches see the phase's buffers (the values do not matter for the time). Times
// include the wait for each dispatch alone, so they add up to more than the phase takes when it is pipelined.
// Run: npx tsx --import ./scripts/register-raw-loader.mjs bench/profile-dispatches.ts --layers 2 [--B 2 --Tp 4 --new 2]
import { performance } from 'node:perf_hooks';
import { prepareVulkanEnv } from './gpu-env.ts';

prepareVulkanEnv();
const { parseModelConfig } = await import('../src/engine/config.ts');
const { buildParamLayout } = await import('../src/engine/params.ts');
const { Model } = await import('../src/engine/model.ts');
const { generate } = await import('../src/engine/generate.ts');
const { buildLoraLayout, initLoraParams, LoraAdapters, LORA_TARGETS } = await import('../src/engine/lora.ts');
const { WebGpuBackend } = await import('../src/engine/webgpu/backend.ts');
const { nodeGpu } = await import('../src/engine/webgpu/node-gpu.ts');
const { uploadHalfFrozenBase } = await import('../src/engine/webgpu/half-frozen.ts');
const { Rng } = await import('../src/engine/rng.ts');

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const L = Number(arg('layers', '2'));
const G = Number(arg('G', '2'));
const Tp = Number(arg('Tp', '4'));
const maxNew = Number(arg('new', '2'));
const phasesWanted = arg('phases', 'sampling,forward,backward').split(',');
const cfg = parseModelConfig({
  model_type: 'qwen2', vocab_size: Number(arg('vocab', '151936')), hidden_size: 896, intermediate_size: 4864, num_hidden_layers: L,
  num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true, max_position_embeddings: 2048,
});
const layout = buildParamLayout(cfg);
const host = new Float32Array(layout.total);
const rng = new Rng(1, 3);
for (let i = 0; i < host.length; i++) host[i] = 0.02 * (2 * rng.uniform() - 1);

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
const be: Any = await WebGpuBackend.create(await nodeGpu());
console.log(`Qwen2.5-0.5B shape with ${L} layers (${(layout.count / 1e6).toFixed(1)}M params), ${be.deviceName}; G=${G}, ${Tp} + ${maxNew} tokens`);
const lora = buildLoraLayout(layout.dims, { rank: 16, alpha: 32, targets: LORA_TARGETS });
const ap = be.allocFloat(lora.total);
be.uploadFloat(ap, initLoraParams(lora, 1));
const base = await uploadHalfFrozenBase(be, layout, host, 'bf16');
const model: Any = new Model(be, base.layout, base.params, { adapters: new LoraAdapters(be, lora, ap), frozen: base.frozen });
await be.sync();

interface Rec { spec: { name: string }; args: unknown[] }
const ctx = be.ctx;
const original = ctx.dispatch.bind(ctx);
let recording: Rec[] | null = null;
ctx.dispatch = (...args: Any[]) => {
  if (recording) recording.push({ spec: args[0], args });
  else original(...args);
};

async function profile(name: string, run: () => Promise<unknown>) {
  recording = [];
  const s = performance.now();
  await run(); // recorded, not executed (read-backs see stale values; fine for timing)
  const recordMs = performance.now() - s;
  const recs = recording;
  recording = null;
  const byKernel = new Map<string, { ms: number; n: number; grids: Set<string> }>();
  let total = 0;
  for (const r of recs) {
    const t0 = performance.now();
    original(...(r.args as Any[]));
    await be.sync();
    const ms = performance.now() - t0;
    total += ms;
    const grid = (r.args[3] as number[]).join('x');
    const k = byKernel.get(r.spec.name) ?? { ms: 0, n: 0, grids: new Set<string>() };
    k.ms += ms;
    k.n += 1;
    k.grids.add(grid);
    byKernel.set(r.spec.name, k);
  }
  console.log(`\n${name}: ${recs.length} dispatches, ${(total / 1000).toFixed(1)} s replayed one by one (recording ${recordMs.toFixed(0)} ms)`);
  for (const [k, v] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(`  ${k.padEnd(34)} ${(v.ms / 1000).toFixed(2).padStart(8)} s  ${String(v.n).padStart(5)} dispatches  grids ${[...v.grids].slice(0, 4).join(' ')}${v.grids.size > 4 ? ' …' : ''}`);
  }
}

const prompts = [Int32Array.from({ length: Tp }, () => rng.int(cfg.vocab_size))];
const T = Tp + maxNew;
const B = G;
const tokens = Int32Array.from({ length: B * T }, () => rng.int(cfg.vocab_size));
const targets = Int32Array.from({ length: B * T }, () => rng.int(cfg.vocab_size));
// Each phase runs for real once before it is recorded: SwiftShader compiles a pipeline's code at its first dispatch,
// and that compile time is not the kernel's.
const sample = () => generate(model, prompts, G, { maxNewTokens: maxNew, stopTokenIds: [], seed: 1, temperature: 1, topK: 0, topP: 1 });
const forward = () => model.forwardLogprobs(tokens, targets, B, T);
const backward = async () => {
  model.zeroGrad();
  await model.backward(new Float32Array(B * T).fill(0.01));
};
if (phasesWanted.includes('sampling')) {
  await sample();
  await profile('sampling', sample);
}
if (phasesWanted.includes('forward') || phasesWanted.includes('backward')) {
  await forward();
  if (phasesWanted.includes('forward')) await profile('policy forward', forward);
  if (phasesWanted.includes('backward')) {
    await forward();
    await backward();
    await forward(); // the activations backward reads
    await profile('backward', backward);
  }
}
process.exit(0);
