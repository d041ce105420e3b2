// LoRA in the one decoder block: step 0 equals the base model, adapter gradients match finite differences (f64),
// the base is frozen (no gradient or optimiser buffer of its size, weights bit-identical after updates), the KL
// reference is the base with adapters off (equal to a separate frozen copy), and sampling uses the adapters (the
// decode's logits equal those of the merged model).
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.ts';
import { CpuBackend } from './cpu/backend.ts';
import { loraMerge } from './cpu/lora.ts';
import { expectClose } from './cpu/testing.ts';
import type { ModelConfig } from './config.ts';
import { generate } from './generate.ts';
import { createTinyModel, type LoadedModel } from './io/model-folder.ts';
import { buildLoraLayout, initLoraParams, LoraAdapters, LORA_TARGETS, type LoraLayout } from './lora.ts';
import { Model } from './model.ts';
import { AdamW } from './optimizer.ts';
import { paramEntry } from './params.ts';
import { Rng } from './rng.ts';

const SMALL = { hidden_size: 8, intermediate_size: 12, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1 };
const VARIANTS: Record<string, Partial<ModelConfig>> = {
  'llama, tied': { ...SMALL, model_type: 'llama', tie_word_embeddings: true },
  'qwen2, qkv bias': { ...SMALL, model_type: 'qwen2', tie_word_embeddings: false },
  'qwen3, q/k norm, head_dim 6': { ...SMALL, model_type: 'qwen3', head_dim: 6, num_attention_heads: 4, num_key_value_heads: 2, tie_word_embeddings: false },
};

function randomParams(n: number, seed: number, std: number): Float32Array {
  const rng = new Rng(seed, 5);
  return Float32Array.from({ length: n }, () => std * rng.normal());
}

/** A model with adapters on `be`; `bStd` > 0 draws B too (a trained adapter), else B = 0 (the initialisation). */
function loraModel<F extends Float32Array>(be: Backend<F, Int32Array>, loaded: LoadedModel, lora: LoraLayout, bStd: number, seed = 1) {
  const params = be.allocFloat(loaded.layout.total);
  be.uploadFloat(params, loaded.params);
  const host = initLoraParams(lora, seed);
  if (bStd > 0) {
    const rand = randomParams(lora.total, seed + 1, bStd);
    for (const e of lora.entries) for (let i = 0; i < lora.options.rank * e.OC; i++) host[e.bOffset + i] = rand[e.bOffset + i];
  }
  const ap = be.allocFloat(lora.total);
  be.uploadFloat(ap, host);
  const adapters = new LoraAdapters(be, lora, ap);
  return { model: new Model(be, loaded.layout, params, { adapters }), host };
}

function batch(V: number, B: number, T: number, seed: number) {
  const rng = new Rng(seed, 7);
  return {
    tokens: Int32Array.from({ length: B * T }, () => rng.int(V)),
    targets: Int32Array.from({ length: B * T }, () => rng.int(V)),
    weights: Float64Array.from({ length: B * T }, () => rng.normal()),
  };
}

/** The base weights with every adapter merged in: W + (alpha/r) B A. */
function merged(loaded: LoadedModel, lora: LoraLayout, host: Float32Array): Float32Array {
  const p = loaded.params.slice();
  const r = lora.options.rank;
  for (const e of lora.entries) {
    const w = paramEntry(loaded.layout, loaded.layout.layers[e.layer][e.kind]);
    loraMerge(p.subarray(w.offset, w.offset + w.size), host.subarray(e.aOffset, e.aOffset + r * e.C), host.subarray(e.bOffset, e.bOffset + r * e.OC), e.C, e.OC, r, lora.scale);
  }
  return p;
}

describe('LoRA model', () => {
  for (const [label, cfg] of Object.entries(VARIANTS)) {
    it(`${label}: adapter gradients match finite differences (f64); no gradient for the base`, async () => {
      const loaded = createTinyModel({ config: cfg, seed: 1 });
      loaded.params.set(randomParams(loaded.layout.total, 3, 0.4).map((x, i) => x + (loaded.params[i] === 1 ? 1 : 0)));
      const be = new CpuBackend({ precision: 'f64' });
      const lora = buildLoraLayout(loaded.layout.dims, { rank: 2, alpha: 4, targets: LORA_TARGETS });
      const { model } = loraModel(be, loaded, lora, 0.3);
      const [B, T] = [2, 5];
      const { tokens, targets, weights } = batch(loaded.config.vocab_size, B, T, 5);
      const lossAt = async () => {
        const { logp } = await model.forwardLogprobs(tokens, targets, B, T, 0.8);
        return logp.reduce((s, x, i) => s + weights[i] * x, 0);
      };
      await lossAt();
      model.zeroGrad();
      await model.backward(Float32Array.from(weights));
      expect(model.grads.length).toBe(lora.total);
      const grads = model.grads.slice();
      const p = model.trainable.params;
      const rng = new Rng(13, 1);
      const h = 1e-5;
      let maxNum = 0;
      let maxErr = 0;
      // 60 random adapter elements (A and B of every target), central differences
      for (let k = 0; k < 60; k++) {
        const e = lora.entries[rng.int(lora.entries.length)];
        const inB = rng.int(2) === 1;
        const i = inB ? e.bOffset + rng.int(lora.options.rank * e.OC) : e.aOffset + rng.int(lora.options.rank * e.C);
        const x0 = p[i];
        p[i] = x0 + h;
        const lp = await lossAt();
        p[i] = x0 - h;
        const lm = await lossAt();
        p[i] = x0;
        const num = (lp - lm) / (2 * h);
        maxNum = Math.max(maxNum, Math.abs(num));
        maxErr = Math.max(maxErr, Math.abs(num - grads[i]));
      }
      expect(maxNum).toBeGreaterThan(1e-3);
      expect(maxErr / maxNum, `max err ${maxErr} vs max grad ${maxNum}`).toBeLessThan(1e-6);
    });
  }

  it('step 0 equals the base model; training moves only the adapters; the reference is the base with adapters off', async () => {
    const loaded = createTinyModel({ config: VARIANTS['qwen2, qkv bias'], seed: 2 });
    const be = new CpuBackend({ threads: 1 });
    const lora = buildLoraLayout(loaded.layout.dims, { rank: 4, alpha: 8, targets: ['q', 'v', 'down'] });
    const { model } = loraModel(be, loaded, lora, 0);
    const base = new Model(be, loaded.layout, Float32Array.from(loaded.params)); // a separate frozen copy
    const [B, T] = [3, 6];
    const { tokens, targets, weights } = batch(loaded.config.vocab_size, B, T, 9);
    const baseLogp = (await base.forwardLogprobs(tokens, targets, B, T)).logp;
    expect(Array.from((await model.forwardLogprobs(tokens, targets, B, T)).logp)).toEqual(Array.from(baseLogp));

    const adam = new AdamW(be, model.trainable.layout);
    for (let step = 0; step < 3; step++) {
      await model.forwardLogprobs(tokens, targets, B, T);
      model.zeroGrad();
      await model.backward(Float32Array.from(weights));
      const t = model.trainable;
      await adam.step(t.params, t.grads, { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 1 });
    }
    const after = (await model.forwardLogprobs(tokens, targets, B, T)).logp;
    expect(after.some((x, i) => Math.abs(x - baseLogp[i]) > 1e-4), 'the adapters changed the policy').toBe(true);
    expect(Buffer.from(model.params.buffer).equals(Buffer.from(loaded.params.buffer)), 'base weights bit-identical').toBe(true);
    const ref = await model.withAdaptersOff(() => model.forwardLogprobs(tokens, targets, B, T));
    expect(Array.from(ref.logp)).toEqual(Array.from(baseLogp));
    expect(model.lora!.enabled).toBe(true);
  });

  it('with helper threads (frozen weights skip their gradients in the split kernels): bit-identical to one thread', async () => {
    const loaded = createTinyModel({ config: VARIANTS['qwen2, qkv bias'], seed: 7 });
    const lora = buildLoraLayout(loaded.layout.dims, { rank: 2, alpha: 4, targets: LORA_TARGETS });
    const { tokens, targets, weights } = batch(loaded.config.vocab_size, 3, 6, 2);
    const gradsOn = async (be: CpuBackend) => {
      await be.ready;
      const { model } = loraModel(be, loaded, lora, 0.3);
      await model.forwardLogprobs(tokens, targets, 3, 6);
      model.zeroGrad();
      await model.backward(Float32Array.from(weights));
      return { grads: model.grads.slice(), split: be.splitCalls };
    };
    const one = await gradsOn(new CpuBackend({ threads: 1 }));
    const threaded = new CpuBackend({ threads: 2, minWorkPerThread: 1 });
    const two = await gradsOn(threaded);
    threaded.dispose();
    expect(two.split, 'kernels were split across threads').toBeGreaterThan(0);
    expect(Buffer.from(two.grads.buffer).equals(Buffer.from(one.grads.buffer))).toBe(true);
  });

  it('allocates no buffer of the base size besides the weights (no gradients, no AdamW state for the base)', async () => {
    const loaded = createTinyModel({ config: VARIANTS['llama, tied'], seed: 4 });
    const inner = new CpuBackend({ threads: 1 });
    const sizes: number[] = [];
    const be = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'allocFloat') return (n: number) => (sizes.push(n), target.allocFloat(n));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as CpuBackend;
    const lora = buildLoraLayout(loaded.layout.dims, { rank: 2, alpha: 2, targets: LORA_TARGETS });
    const { model } = loraModel(be, loaded, lora, 0);
    const adam = new AdamW(be, model.trainable.layout);
    const { tokens, targets, weights } = batch(loaded.config.vocab_size, 2, 4, 1);
    await model.forwardLogprobs(tokens, targets, 2, 4);
    model.zeroGrad();
    await model.backward(Float32Array.from(weights));
    await adam.step(model.trainable.params, model.trainable.grads, { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, maxGradNorm: 0 });
    expect(sizes.filter((n) => n === loaded.layout.total)).toHaveLength(1); // the weights themselves
    expect(sizes.filter((n) => n === lora.total)).toHaveLength(4); // adapter weights, gradients, AdamW m and v
  });

  it('sampling uses the adapters: decode logits equal the merged model, and adapters-off equals the base', async () => {
    const loaded = createTinyModel({ config: VARIANTS['qwen3, q/k norm, head_dim 6'], seed: 6 });
    const be = new CpuBackend({ threads: 1 });
    const lora = buildLoraLayout(loaded.layout.dims, { rank: 3, alpha: 6, targets: LORA_TARGETS });
    const { model, host } = loraModel(be, loaded, lora, 0.5);
    const mergedModel = new Model<Float32Array, Int32Array>(be, loaded.layout, merged(loaded, lora, host));
    const base = new Model<Float32Array, Int32Array>(be, loaded.layout, Float32Array.from(loaded.params));
    const prompts = [Int32Array.from([3, 4, 5]), Int32Array.from([6, 7])];
    const logitsOf = async (m: Model<Float32Array, Int32Array>) => {
      const seen: Float32Array[] = [];
      const out = await generate(m, prompts, 2, { maxNewTokens: 4, temperature: 0, topK: 0, topP: 1, stopTokenIds: [], seed: 1, onLogits: (_t, l) => void seen.push(l) });
      return { seen, out };
    };
    const adapted = await logitsOf(model);
    const fromMerged = await logitsOf(mergedModel);
    adapted.seen.forEach((l, t) => expectClose(`decode step ${t}`, l, fromMerged.seen[t], 1e-5));
    expect(adapted.out.completions.map((c) => Array.from(c))).toEqual(fromMerged.out.completions.map((c) => Array.from(c)));
    const off = await model.withAdaptersOff(() => logitsOf(model));
    const fromBase = await logitsOf(base);
    off.seen.forEach((l, t) => expect(Array.from(l)).toEqual(Array.from(fromBase.seen[t])));
    expect(adapted.seen.some((l, t) => Math.abs(l[0] - fromBase.seen[t][0]) > 1e-4)).toBe(true);
  });
});
