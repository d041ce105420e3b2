// The whole model on WebGPU against the CPU oracle: a training step (log-probs, every gradient, an AdamW
// update), cached batched decoding, and the engineering contract that a warmed-up step creates no GPU buffers,
// pipelines or bind groups and records into few command buffers.
import { describe, expect, it } from 'vitest';
import type { TensorLike } from '../backend.ts';
import { CpuBackend } from '../cpu/backend.ts';
import type { ModelConfig } from '../config.ts';
import { generate } from '../generate.ts';
import { createTinyModel, type LoadedModel } from '../io/model-folder.ts';
import { Model } from '../model.ts';
import { AdamW } from '../optimizer.ts';
import { Rng } from '../rng.ts';
import { testBackend } from './testing.ts';

const VARIANTS: Record<string, Partial<ModelConfig>> = {
  'llama, tied': { hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2 },
  'qwen3, untied, q/k norm': {
    model_type: 'qwen3', hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4,
    num_key_value_heads: 1, head_dim: 8, tie_word_embeddings: false,
  },
  'qwen2, qkv bias': { model_type: 'qwen2', hidden_size: 12, intermediate_size: 20, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 2, tie_word_embeddings: true },
};

function randomWeights(m: LoadedModel, seed: number): Float32Array {
  const rng = new Rng(seed, 5);
  const p = new Float32Array(m.layout.total);
  for (const e of m.layout.entries) {
    const norm = e.name.includes('norm');
    for (let i = 0; i < e.size; i++) p[e.offset + i] = (norm ? 1 : 0) + 0.3 * rng.normal();
  }
  return p;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { abs: number; scale: number } {
  let abs = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    abs = Math.max(abs, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return { abs, scale };
}

const ADAM = { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 };

describe('WebGPU model vs CPU', async () => {
  const gpu = await testBackend();
  for (const [label, cfg] of Object.entries(VARIANTS)) {
    it.skipIf(!gpu)(`training step: log-probs, gradients and AdamW agree (${label})`, async () => {
      const be = gpu!;
      const loaded = createTinyModel({ config: cfg, seed: 3 });
      const host = randomWeights(loaded, 9);
      const cpuModel = new Model(new CpuBackend(), loaded.layout, host.slice());
      const gpuParams = be.allocFloat(loaded.layout.total);
      be.uploadFloat(gpuParams, host);
      const gpuModel = new Model(be, loaded.layout, gpuParams);
      const rng = new Rng(4, 1);
      const B = 3;
      const T = 7;
      const V = loaded.config.vocab_size;
      const tokens = Int32Array.from({ length: B * T }, () => rng.int(V));
      const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
      const dlogp = Float32Array.from({ length: B * T }, () => rng.normal() * 0.1);
      const a = await cpuModel.forwardLogprobs(tokens, targets, B, T, 0.9);
      const b = await gpuModel.forwardLogprobs(tokens, targets, B, T, 0.9);
      const dl = maxDiff(b.logp, a.logp);
      expect(dl.abs, `logp max |diff| ${dl.abs}`).toBeLessThan(1e-4);
      const de = maxDiff(b.entropy, a.entropy);
      expect(de.abs, `entropy max |diff| ${de.abs}`).toBeLessThan(1e-4);
      cpuModel.zeroGrad();
      gpuModel.zeroGrad();
      await cpuModel.backward(dlogp);
      await gpuModel.backward(dlogp);
      const cg = cpuModel.grads;
      const gg = await be.readFloat(gpuModel.grads);
      for (const e of loaded.layout.entries) {
        const d = maxDiff(gg.subarray(e.offset, e.offset + e.size), cg.subarray(e.offset, e.offset + e.size));
        expect(d.abs, `${e.name}: max |diff| ${d.abs} (max |grad| ${d.scale})`).toBeLessThan(1e-4 + 1e-3 * d.scale);
      }
      // AdamW's first step divides by ~|g|, so gradients that differ by 1e-8 near zero move a parameter by a
      // large fraction of lr: compare the update on identical gradients (the gradients were compared above).
      be.uploadFloat(gpuModel.grads, cg as Float32Array);
      const cpuOpt = new AdamW(new CpuBackend(), loaded.layout);
      const gpuOpt = new AdamW(be, loaded.layout);
      const gn1 = await cpuOpt.step(cpuModel.params, cpuModel.grads, ADAM);
      const gn2 = await gpuOpt.step(gpuModel.params, gpuModel.grads, ADAM);
      expect(Math.abs(gn1.gradNorm - gn2.gradNorm) / gn1.gradNorm).toBeLessThan(1e-4);
      const dp = maxDiff(await be.readFloat(gpuModel.params), cpuModel.params);
      expect(dp.abs, `params after AdamW max |diff| ${dp.abs}`).toBeLessThan(1e-4);
      gpuModel.releaseActivations();
      gpuOpt.dispose();
      be.free(gpuParams);
    });
  }

  it.skipIf(!gpu)('cached batched decode: same logits and the same greedy tokens as the CPU', async () => {
    const be = gpu!;
    const loaded = createTinyModel({ config: VARIANTS['qwen3, untied, q/k norm'], seed: 5 });
    const host = randomWeights(loaded, 11);
    const cpuModel = new Model(new CpuBackend(), loaded.layout, host.slice());
    const gpuParams = be.allocFloat(loaded.layout.total);
    be.uploadFloat(gpuParams, host);
    const gpuModel = new Model(be, loaded.layout, gpuParams);
    const prompts = [Int32Array.from([3, 9, 14, 20, 33]), Int32Array.from([7, 8]), Int32Array.from([30, 31, 32])];
    const logitsOf = async <F extends TensorLike, I extends TensorLike>(m: Model<F, I>) => {
      const seen: Float32Array[] = [];
      const out = await generate(m, prompts, 2, {
        temperature: 0, topK: 0, topP: 1, maxNewTokens: 6, stopTokenIds: [], seed: 1,
        onLogits: (_t, logits) => void seen.push(logits.slice()),
      });
      return { out, seen };
    };
    const c = await logitsOf(cpuModel);
    const g = await logitsOf(gpuModel);
    expect(g.seen.length).toBe(c.seen.length);
    let worst = 0;
    for (let i = 0; i < c.seen.length; i++) worst = Math.max(worst, maxDiff(g.seen[i], c.seen[i]).abs);
    expect(worst, `decode logits max |diff| ${worst}`).toBeLessThan(1e-3);
    expect(g.out.completions.map((x) => Array.from(x))).toEqual(c.out.completions.map((x) => Array.from(x)));
    // Seeded sampling on the device draws the same random numbers as the CPU: the same tokens, except where
    // f32 rounding lands a draw on the other side of a boundary (rare; at most one row of 12 here).
    const opts = { temperature: 1.2, topK: 30, topP: 0.9, maxNewTokens: 6, stopTokenIds: [], seed: 77 };
    const cs = await generate(cpuModel, [...prompts, ...prompts], 2, opts);
    const gs = await generate(gpuModel, [...prompts, ...prompts], 2, opts);
    const differing = cs.completions.filter((x, r) => Array.from(x).join() !== Array.from(gs.completions[r]).join()).length;
    expect(differing, `${differing} of ${cs.completions.length} sampled rows differ`).toBeLessThanOrEqual(1);
    be.free(gpuParams);
  });

  it.skipIf(!gpu)('a warmed-up training step creates no GPU buffers, pipelines or bind groups, in few submits', async () => {
    const be = gpu!;
    const ctx = be.ctx;
    const loaded = createTinyModel({ config: VARIANTS['llama, tied'], seed: 3 });
    const params = be.allocFloat(loaded.layout.total);
    be.uploadFloat(params, randomWeights(loaded, 2));
    const model = new Model(be, loaded.layout, params);
    const opt = new AdamW(be, loaded.layout);
    const rng = new Rng(8, 1);
    const B = 2;
    const T = 6;
    const tokens = Int32Array.from({ length: B * T }, () => rng.int(100));
    const dlogp = new Float32Array(B * T).fill(-0.1);
    const step = async () => {
      await model.forwardLogprobs(tokens, tokens, B, T, 1);
      model.zeroGrad();
      await model.backward(dlogp);
      await opt.step(model.params, model.grads, ADAM);
    };
    await step();
    await step();
    const before = { buffers: ctx.pool.created, pipelines: ctx.pipelinesCreated, bindGroups: ctx.bindGroupsCreated, submits: ctx.submits };
    await step();
    expect(ctx.pool.created - before.buffers, 'buffers created').toBe(0);
    expect(ctx.pipelinesCreated - before.pipelines, 'pipelines created').toBe(0);
    expect(ctx.bindGroupsCreated - before.bindGroups, 'bind groups created').toBe(0);
    const submits = ctx.submits - before.submits;
    console.log(`one training step: ${submits} command buffers submitted; GPU bytes in use ${be.bytesInUse}`);
    expect(submits).toBeLessThanOrEqual(6);
  });
});
