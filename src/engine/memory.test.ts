// The memory plan: its parts for a real model shape, its refusals, and (the point of one size table) that it
// equals, byte for byte, the peak of what the model, the sampler and AdamW actually allocate.
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.ts';
import { CpuBackend } from './cpu/backend.ts';
import { modelDims, parseModelConfig, type ModelConfig } from './config.ts';
import { generate } from './generate.ts';
import { createTinyModel } from './io/model-folder.ts';
import { checkFits, planMemory } from './memory.ts';
import { Model } from './model.ts';
import { AdamW } from './optimizer.ts';
import { buildParamLayout } from './params.ts';

describe('memory plan', () => {
  // A Qwen2.5-0.5B-shaped config: vocab 151,936 x hidden 896.
  const cfg = parseModelConfig({
    model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24,
    num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true,
  });
  const layout = buildParamLayout(cfg);
  const plan = planMemory({
    dims: modelDims(cfg), paramFloats: layout.total, train: { B: 64, T: 300 },
    decodes: [{ prompts: 8, group: 8, promptT: 200, maxT: 300 }], reference: true,
  });

  it('counts weights, gradients, AdamW state and the reference copy (5 x the weights)', () => {
    expect(layout.count).toBeGreaterThan(490e6);
    expect(plan.parts.weights + plan.parts.gradients + plan.parts['AdamW state'] + plan.parts.reference).toBe(5 * 4 * layout.total);
    expect(plan.largest.what).toBe('the flat weight buffer');
  });

  it('refuses a run whose largest buffer exceeds the device limit, naming needed vs available', () => {
    expect(() => checkFits(plan, { maxTensorBytes: 2 ** 30, deviceName: 'a test GPU' })).toThrow(
      /the flat weight buffer needs 1\.8\d GiB but the device allows 1\.00 GiB per buffer \(whole run: about \d+\.\d+ GiB\)/,
    );
    expect(() => checkFits(plan, { maxTensorBytes: 4 * 2 ** 30, deviceName: 'a big GPU' })).not.toThrow();
    expect(() => checkFits(plan, { deviceName: 'CPU' })).not.toThrow();
  });

  it('refuses a run whose total exceeds the memory budget, naming the biggest part', () => {
    expect(() => checkFits(plan, { maxTotalBytes: 8 * 2 ** 30, deviceName: 'the CPU' })).toThrow(
      /this run does not fit the CPU: it needs about \d+\.\d+ GiB \(most of it activations, \d+\.\d+ GiB\) but 8\.00 GiB is available/,
    );
    expect(() => checkFits(plan, { maxTotalBytes: plan.totalBytes, deviceName: 'the CPU' })).not.toThrow();
  });
});

/** A backend that counts the bytes of live tensors (views are free) and remembers the peak. */
function countingBackend(inner: CpuBackend): { be: CpuBackend; live: () => number; peak: () => number } {
  const sizes = new Map<object, number>();
  let live = 0;
  let peak = 0;
  const track = <T extends { length: number }>(t: T): T => {
    sizes.set(t, t.length * 4);
    live += t.length * 4;
    peak = Math.max(peak, live);
    return t;
  };
  const be = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'allocFloat') return (n: number) => track(target.allocFloat(n));
      if (prop === 'allocInt') return (n: number) => track(target.allocInt(n));
      if (prop === 'free') {
        return (t: Float32Array | Int32Array) => {
          const n = sizes.get(t);
          if (n !== undefined) {
            live -= n;
            sizes.delete(t);
          }
          target.free(t);
        };
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  }) as CpuBackend;
  return { be, live: () => live, peak: () => peak };
}

describe('memory plan equals what a training step allocates', () => {
  const SHAPES: Record<string, Partial<ModelConfig>> = {
    'llama, tied, GQA': { model_type: 'llama', hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, tie_word_embeddings: true },
    'qwen3, q/k norm, head_dim 6, untied': { model_type: 'qwen3', hidden_size: 16, intermediate_size: 20, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 6, tie_word_embeddings: false },
  };
  for (const [label, config] of Object.entries(SHAPES)) {
    it(label, async () => {
      const loaded = createTinyModel({ config, seed: 2 });
      const { be, peak } = countingBackend(new CpuBackend());
      const upload = () => {
        const t = be.allocFloat(loaded.layout.total);
        be.uploadFloat(t, loaded.params);
        return t;
      };
      const model = new Model(be as Backend<Float32Array, Int32Array>, loaded.layout, upload());
      const reference = new Model(be as Backend<Float32Array, Int32Array>, loaded.layout, upload());
      const adam = new AdamW(be, loaded.layout);
      // P = 2 prompts of unequal length, G = 3 samples each, 4 new tokens: a step of a GRPO run.
      const prompts = [Int32Array.from([3, 4, 5, 6, 7]), Int32Array.from([8, 9])];
      const P = prompts.length;
      const G = 3;
      const maxNew = 4;
      const sampleOpts = { maxNewTokens: maxNew, stopTokenIds: [], seed: 1, temperature: 1, topK: 0, topP: 1 };
      const Tp = 5;
      const T = Tp + maxNew;
      const B = P * G;
      const tokens = new Int32Array(B * T).fill(3);
      for (let step = 0; step < 2; step++) {
        await generate(model, prompts, G, sampleOpts);
        await reference.forwardLogprobs(tokens, tokens, B, T);
        await model.forwardLogprobs(tokens, tokens, B, T);
        model.zeroGrad();
        await model.backward(new Float32Array(B * T).fill(0.1));
        await adam.step(model.params, model.grads, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
      }
      const plan = planMemory({
        dims: loaded.layout.dims,
        paramFloats: loaded.layout.total,
        train: { B, T },
        decodes: [{ prompts: P, group: G, promptT: Tp, maxT: T }],
        reference: true,
      });
      expect(plan.totalBytes).toBe(peak());
    });
  }
});
