// The memory plan against what the WebGPU buffer pool really holds at the peak of GRPO steps, LoRA with a bf16
// base and full fine-tuning with a reference copy: the plan models the pool's size buckets and the kernels' scratch
// (plan.ts), so the two agree up to the transient staging of uploads and read-backs (a few small buffers, bounded
// below), and the plan never promises less than the pool takes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generate } from '../generate.ts';
import { createTinyModel } from '../io/model-folder.ts';
import { buildLoraLayout, frozenBaseBuffers, initLoraParams, LoraAdapters, LORA_TARGETS } from '../lora.ts';
import { planMemory } from '../memory.ts';
import { Model } from '../model.ts';
import { AdamW } from '../optimizer.ts';
import { uploadHalfFrozenBase } from './half-frozen.ts';
import { webgpuPlanDevice } from './plan.ts';
import { WebGpuBackend } from './backend.ts';
import { nodeGpu } from './node-gpu.ts';
import { testBackend } from './testing.ts';

describe('WebGPU memory plan vs the buffer pool', async () => {
  const shared = await testBackend(); // null (skip) or a device; each test takes a fresh one so no scratch carries over
  let be: WebGpuBackend | null = null;
  beforeEach(async () => {
    if (shared) be = await WebGpuBackend.create(await nodeGpu());
  });
  afterEach(() => be?.destroy());
  const loaded = createTinyModel({
    config: { model_type: 'qwen2', hidden_size: 32, intermediate_size: 88, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, tie_word_embeddings: true },
    seed: 3,
  });
  const d = loaded.layout.dims;
  const prompts = [Int32Array.from([3, 4, 5, 6, 7, 8]), Int32Array.from([9, 10, 11])];
  const [P, G, maxNew, Tp] = [2, 3, 3, 6];
  const T = Tp + maxNew;
  const B = P * G;
  const tokens = new Int32Array(B * T).fill(3);
  const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 };
  const input = { dims: d, paramFloats: loaded.layout.total, train: { B, T }, decodes: [{ prompts: P, group: G, promptT: Tp, maxT: T }], reference: true };
  // Staging: each step uploads tokens, targets and dlogp (B*T values each) and reads back log-probs, entropy and
  // sampled ids; at most these buffers, each a 256-byte bucket or the bucket of B*T floats, are live at once.
  const stagingBound = 8 * Math.max(256, 4 * B * T * 2);

  it.skipIf(!shared)('LoRA, frozen base in bf16', async () => {
    const pool = be!.ctx.pool;
    await be!.sync();
    const start = pool.bytesInUse;
    pool.peakBytesInUse = start;
    const lora = buildLoraLayout(d, { rank: 4, alpha: 8, targets: LORA_TARGETS });
    const ap = be!.allocFloat(lora.total);
    be!.uploadFloat(ap, initLoraParams(lora, 1));
    const base = await uploadHalfFrozenBase(be!, loaded.layout, loaded.params, 'bf16');
    const adapters = new LoraAdapters(be!, lora, ap);
    const model = new Model(be!, base.layout, base.params, { adapters, frozen: base.frozen });
    const adam = new AdamW(be!, model.trainable.layout);
    for (let step = 0; step < 2; step++) {
      await generate(model, prompts, G, { maxNewTokens: maxNew, stopTokenIds: [], seed: 1, temperature: 1, topK: 0, topP: 1 });
      await model.withAdaptersOff(() => model.forwardLogprobs(tokens, tokens, B, T));
      await model.forwardLogprobs(tokens, tokens, B, T);
      model.zeroGrad();
      await model.backward(new Float32Array(B * T).fill(0.1));
      await adam.step(model.trainable.params, model.trainable.grads, ADAM);
      await be!.sync();
    }
    const peak = pool.peakBytesInUse - start;
    const plan = planMemory({ ...input, lora: { layout: lora, frozenBuffers: frozenBaseBuffers(loaded.layout, 'bf16') } }, webgpuPlanDevice(d, B, T, lora.total, false));
    console.log(`LoRA bf16: plan ${plan.totalBytes} B, pool peak ${peak} B (${peak - plan.totalBytes} B of staging)`);
    expect(peak).toBeGreaterThanOrEqual(plan.totalBytes);
    expect(peak - plan.totalBytes).toBeLessThanOrEqual(stagingBound);
    adam.dispose();
    model.releaseActivations();
    adapters.dispose();
    base.dispose();
    be!.free(ap);
  });

  it.skipIf(!shared)('full fine-tuning with a reference copy', async () => {
    const pool = be!.ctx.pool;
    await be!.sync();
    const start = pool.bytesInUse;
    pool.peakBytesInUse = start;
    const upload = () => {
      const p = be!.allocFloat(loaded.layout.total);
      be!.uploadFloat(p, loaded.params);
      return p;
    };
    const model = new Model(be!, loaded.layout, upload());
    const reference = new Model(be!, loaded.layout, upload());
    const adam = new AdamW(be!, loaded.layout);
    // two steps: the second step's sampling coexists with the kept training activations, the plan's peak
    for (let step = 0; step < 2; step++) {
      await generate(model, prompts, G, { maxNewTokens: maxNew, stopTokenIds: [], seed: 1, temperature: 1, topK: 0, topP: 1 });
      await reference.forwardLogprobs(tokens, tokens, B, T);
      await model.forwardLogprobs(tokens, tokens, B, T);
      model.zeroGrad();
      await model.backward(new Float32Array(B * T).fill(0.1));
      await adam.step(model.params, model.grads, ADAM);
      await be!.sync();
    }
    const peak = pool.peakBytesInUse - start;
    const plan = planMemory(input, webgpuPlanDevice(d, B, T, loaded.layout.total, true));
    console.log(`full: plan ${plan.totalBytes} B, pool peak ${peak} B (${peak - plan.totalBytes} B of staging)`);
    expect(peak).toBeGreaterThanOrEqual(plan.totalBytes);
    // + the staging of the two weight uploads (recorded before one flush)
    expect(peak - plan.totalBytes).toBeLessThanOrEqual(stagingBound + 2 * 4 * loaded.layout.total);
  });
});
