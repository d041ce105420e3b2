// The memory plan in LoRA mode: it equals, byte for byte, the peak of what a LoRA GRPO step allocates on the CPU
// (frozen base, adapters with gradients and AdamW state, the reference as adapters-off on the same model), and for
// a real 0.5B shape it is a fraction of the full plan (no gradients or AdamW state for the base, no second copy).
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.ts';
import { CpuBackend } from './cpu/backend.ts';
import { modelDims, parseModelConfig } from './config.ts';
import { generate } from './generate.ts';
import { createTinyModel } from './io/model-folder.ts';
import { buildLoraLayout, frozenBaseBuffers, initLoraParams, LoraAdapters, LORA_TARGETS } from './lora.ts';
import { planMemory } from './memory.ts';
import { Model } from './model.ts';
import { AdamW } from './optimizer.ts';
import { buildParamLayout } from './params.ts';

/** A backend that counts the bytes of live tensors (views are free) and remembers the peak. */
function countingBackend(inner: CpuBackend) {
  const sizes = new Map<object, number>();
  let live = 0;
  let peak = 0;
  const be = new Proxy(inner, {
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
      if (prop === 'free') {
        return (t: Float32Array | Int32Array) => {
          live -= sizes.get(t) ?? 0;
          sizes.delete(t);
          target.free(t);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as CpuBackend;
  return { be, peak: () => peak };
}

describe('LoRA memory plan', () => {
  it('equals the peak a LoRA GRPO step with a KL reference allocates', async () => {
    const loaded = createTinyModel({
      config: { model_type: 'qwen3', hidden_size: 16, intermediate_size: 20, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 6 },
      seed: 2,
    });
    const { be, peak } = countingBackend(new CpuBackend({ threads: 1 }));
    const lora = buildLoraLayout(loaded.layout.dims, { rank: 3, alpha: 6, targets: ['q', 'v', 'gate', 'down'] });
    const params = be.allocFloat(loaded.layout.total);
    be.uploadFloat(params, loaded.params);
    const ap = be.allocFloat(lora.total);
    be.uploadFloat(ap, initLoraParams(lora, 1));
    const model = new Model(be as Backend<Float32Array, Int32Array>, loaded.layout, params, { adapters: new LoraAdapters(be, lora, ap) });
    const adam = new AdamW(be, model.trainable.layout);
    const prompts = [Int32Array.from([3, 4, 5, 6, 7]), Int32Array.from([8, 9])];
    const [P, G, maxNew, Tp] = [2, 3, 4, 5];
    const T = Tp + maxNew;
    const B = P * G;
    const tokens = new Int32Array(B * T).fill(3);
    for (let step = 0; step < 2; step++) {
      await generate(model, prompts, G, { maxNewTokens: maxNew, stopTokenIds: [], seed: 1, temperature: 1, topK: 0, topP: 1 });
      await model.withAdaptersOff(() => model.forwardLogprobs(tokens, tokens, B, T)); // the KL reference
      await model.forwardLogprobs(tokens, tokens, B, T);
      model.zeroGrad();
      await model.backward(new Float32Array(B * T).fill(0.1));
      const t = model.trainable;
      await adam.step(t.params, t.grads, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    }
    const plan = planMemory({
      dims: loaded.layout.dims,
      paramFloats: loaded.layout.total,
      train: { B, T },
      decodes: [{ prompts: P, group: G, promptT: Tp, maxT: T }],
      reference: true,
      lora: { layout: lora, frozenBuffers: frozenBaseBuffers(loaded.layout, 'f32') },
    });
    expect(plan.parts.reference).toBe(0);
    expect(plan.totalBytes).toBe(peak());
  });

  it('Qwen2.5-0.5B shape: the frozen bf16 base and rank-16 adapters take a fraction of full fine-tuning', () => {
    const cfg = parseModelConfig({
      model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24,
      num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true,
    });
    const layout = buildParamLayout(cfg);
    const lora = buildLoraLayout(modelDims(cfg), { rank: 16, alpha: 32, targets: LORA_TARGETS });
    const input = { dims: modelDims(cfg), paramFloats: layout.total, train: { B: 8, T: 128 }, decodes: [{ prompts: 2, group: 4, promptT: 64, maxT: 128 }], reference: true };
    const full = planMemory(input);
    const lo = planMemory({ ...input, lora: { layout: lora, frozenBuffers: frozenBaseBuffers(layout, 'bf16') } });
    // rank 16 on all seven projections of 24 layers: 16 * 24 * (896+896 + 2*(896+128) + 896+896 + 2*(896+4864) + 4864+896) = 8.8M
    expect(lora.count).toBe(16 * 24 * (1792 + 2 * 1024 + 1792 + 2 * 5760 + 5760));
    // the base: embedding (136M) stays f32, the projections (358M) go bf16: (4*136 + 2*358) / (4*494) = 0.64
    expect(lo.parts['weights (frozen base)'] / full.parts.weights).toBeCloseTo(0.64, 2);
    expect(lo.parts.gradients + lo.parts['AdamW state']).toBeLessThan(0.02 * (full.parts.gradients + full.parts['AdamW state']));
    expect(lo.totalBytes).toBeLessThan(full.totalBytes / 3);
    expect(lo.largest.what).toBe('the frozen f32 rest (embedding, norms, head)');
    expect(lo.largest.bytes).toBeLessThan(2 ** 30); // fits a 1 GiB binding limit, the full plan's flat buffer does not
    expect(full.largest.bytes).toBeGreaterThan(2 ** 30);
  });
});
