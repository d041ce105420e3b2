// One GRPO step, LoRA vs full fine-tuning, for random-init models of real shapes (SmolLM2-135M, Qwen2.5-0.5B), on
// the CPU or WebGPU: time per phase (sampling, reference forward, policy forward, backward, AdamW) and peak bytes,
// the memory plan's against what was allocated (WebGPU: the buffer pool's peak in use, rounded to its size buckets;
// CPU: live tensor bytes). LoRA holds the frozen base in bf16 on WebGPU (f32 on the CPU); the reference is the base
// with adapters off; the full step keeps a separate frozen reference copy.
// Run: npx tsx --import ./scripts/register-raw-loader.mjs bench/lora-step.ts --shape 135m|0.5b --mode lora|full
//      --backend cpu|webgpu [--B 2 --Tp 8 --new 4]
import { performance } from 'node:perf_hooks';
import { prepareVulkanEnv } from './gpu-env.ts';

const vulkan = prepareVulkanEnv();
const { parseModelConfig } = await import('../src/engine/config.ts');
const { buildParamLayout } = await import('../src/engine/params.ts');
const { CpuBackend } = await import('../src/engine/cpu/backend.ts');
const { Model } = await import('../src/engine/model.ts');
const { AdamW } = await import('../src/engine/optimizer.ts');
const { generate } = await import('../src/engine/generate.ts');
const { planMemory, formatBytes } = await import('../src/engine/memory.ts');
const { buildLoraLayout, frozenBaseBuffers, initLoraParams, LoraAdapters, LORA_TARGETS } = await import('../src/engine/lora.ts');
const { webgpuPlanDevice } = await import('../src/engine/webgpu/plan.ts');
const { Rng } = await import('../src/engine/rng.ts');

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const SHAPES = {
  '135m': { model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true, max_position_embeddings: 2048 },
  '0.5b': { model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24, num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true, max_position_embeddings: 2048 },
} as const;
const shapeName = arg('shape', '135m') as keyof typeof SHAPES;
const mode = arg('mode', 'lora') as 'lora' | 'full';
const backendName = arg('backend', 'cpu') as 'cpu' | 'webgpu';
const [P, G, Tp, maxNew] = [1, Number(arg('G', '2')), Number(arg('Tp', '8')), Number(arg('new', '4'))];
const rank = Number(arg('rank', '16'));

const cfg = parseModelConfig(SHAPES[shapeName]);
const layout = buildParamLayout(cfg);
const d = layout.dims;
console.log(`shape ${shapeName}: ${(layout.count / 1e6).toFixed(1)}M params; mode ${mode}; backend ${backendName}; P=${P} G=${G} prompt ${Tp} + ${maxNew} new tokens`);

// Random init (std 0.02, norms 1), as transformers would.
const t0 = performance.now();
const host = new Float32Array(layout.total);
{
  const rng = new Rng(1, 3);
  for (const e of layout.entries) {
    const norm = e.name.includes('norm');
    for (let i = 0; i < e.size; i++) host[e.offset + i] = norm ? 1 : 0.02 * (2 * rng.uniform() - 1) * 1.732;
  }
}
console.log(`init ${(performance.now() - t0).toFixed(0)} ms`);

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
let be: Any;
let peakBytes: () => number;
let resetPeak: () => void;
if (backendName === 'webgpu') {
  const { WebGpuBackend } = await import('../src/engine/webgpu/backend.ts');
  const { nodeGpu } = await import('../src/engine/webgpu/node-gpu.ts');
  be = await WebGpuBackend.create(await nodeGpu());
  console.log(`adapter: ${be.deviceName} (${vulkan.note}); max binding ${formatBytes(be.maxTensorBytes)}`);
  peakBytes = () => be.ctx.pool.peakBytesInUse;
  resetPeak = () => (be.ctx.pool.peakBytesInUse = be.ctx.pool.bytesInUse);
} else {
  const inner = new CpuBackend({ threads: 'auto' });
  await inner.ready;
  const sizes = new Map<object, number>();
  let live = 0;
  let peak = 0;
  be = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'allocFloat' || prop === 'allocInt') {
        return (n: number) => {
          const t = prop === 'allocFloat' ? target.allocFloat(n) : target.allocInt(n);
          sizes.set(t, 4 * n);
          live += 4 * n;
          peak = Math.max(peak, live);
          return t;
        };
      }
      if (prop === 'free') return (t: Float32Array) => ((live -= sizes.get(t) ?? 0), sizes.delete(t), target.free(t));
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  console.log(`backend: ${inner.deviceName}`);
  peakBytes = () => peak;
  resetPeak = () => (peak = live);
}

const tl = performance.now();
const lora = mode === 'lora' ? buildLoraLayout(d, { rank, alpha: 2 * rank, targets: LORA_TARGETS }) : null;
const baseDtype = mode === 'lora' && backendName === 'webgpu' ? 'bf16' : 'f32';
let model: Any;
let reference: Any = null;
if (lora) {
  const ap = be.allocFloat(lora.total);
  be.uploadFloat(ap, initLoraParams(lora, 1));
  const adapters = new LoraAdapters(be, lora, ap);
  if (baseDtype === 'bf16') {
    const { uploadHalfFrozenBase } = await import('../src/engine/webgpu/half-frozen.ts');
    const base = await uploadHalfFrozenBase(be, layout, host, 'bf16');
    model = new Model(be, base.layout, base.params, { adapters, frozen: base.frozen });
  } else {
    const p = be.allocFloat(layout.total);
    be.uploadFloat(p, host);
    model = new Model(be, layout, p, { adapters });
  }
} else {
  const upload = () => {
    const p = be.allocFloat(layout.total);
    be.uploadFloat(p, host);
    return p;
  };
  model = new Model(be, layout, upload());
  await be.sync();
  reference = new Model(be, layout, upload());
}
await be.sync();
console.log(`load ${(performance.now() - tl).toFixed(0)} ms`);
const adam = new AdamW(be, model.trainable.layout);

const rng = new Rng(5, 5);
const prompts = Array.from({ length: P }, () => Int32Array.from({ length: Tp }, () => rng.int(d.V)));
const T = Tp + maxNew;
const B = P * G;
const phases: Record<string, number> = {};
const time = async <R>(name: string, fn: () => Promise<R>): Promise<R> => {
  const s = performance.now();
  const r = await fn();
  await be.sync();
  phases[name] = performance.now() - s;
  console.log(`  ${name}: ${(phases[name] / 1000).toFixed(2)} s`);
  return r;
};
const out = await time('sampling', () => generate(model, prompts, G, { maxNewTokens: maxNew, stopTokenIds: [], seed: 1, temperature: 1, topK: 0, topP: 1 }));
const tokens = new Int32Array(B * T);
const targets = new Int32Array(B * T);
for (let r = 0; r < B; r++) {
  const seq = [...prompts[0], ...out.completions[r]];
  for (let t = 0; t < T; t++) {
    tokens[r * T + t] = seq[t] ?? 0;
    targets[r * T + t] = seq[t + 1] ?? 0;
  }
}
await time('reference forward', () => (reference ? reference.forwardLogprobs(tokens, targets, B, T) : model.withAdaptersOff(() => model.forwardLogprobs(tokens, targets, B, T))));
await time('policy forward', () => model.forwardLogprobs(tokens, targets, B, T));
await time('backward', async () => {
  model.zeroGrad();
  await model.backward(new Float32Array(B * T).fill(0.01));
});
await time('AdamW', () => adam.step(model.trainable.params, model.trainable.grads, { lr: 1e-4, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 }));

const plan = planMemory({
  dims: d,
  paramFloats: layout.total,
  train: { B, T },
  decodes: [{ prompts: P, group: G, promptT: Tp, maxT: T }],
  reference: true,
  ...(lora ? { lora: { layout: lora, frozenBuffers: frozenBaseBuffers(layout, baseDtype) } } : {}),
}, backendName === 'webgpu' ? webgpuPlanDevice(d, B, T, lora ? lora.total : layout.total, !lora) : undefined);
const allocated = peakBytes();
console.log(`plan ${formatBytes(plan.totalBytes)} vs allocated peak ${formatBytes(allocated)} (${((allocated / plan.totalBytes - 1) * 100).toFixed(2)}% over the plan)`);
console.log(`plan parts: ${Object.entries(plan.parts).map(([k, v]) => `${k} ${formatBytes(v)}`).join(', ')}`);
console.log(JSON.stringify({ shape: shapeName, mode, backend: backendName, device: be.deviceName, params: layout.count, P, G, Tp, maxNew, phasesMs: phases, planBytes: plan.totalBytes, allocatedPeakBytes: allocated, parts: plan.parts }));
void resetPeak;
process.exit(0);
