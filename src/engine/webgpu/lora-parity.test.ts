// A LoRA model on WebGPU against the CPU oracle, with the frozen base in f32 and in bf16/f16 (half-frozen.ts):
// log-probs, adapter gradients, an AdamW step over the adapters, decode logits, and the reference (adapters off).
// The CPU runs on the weights as the GPU holds them (heldBaseWeights), so both sides compute the same function;
// tolerance 2e-4 normwise as in model-parity.test.ts (f32 sums through a few layers, and the softmax over V).
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu/backend.ts';
import { expectClose } from '../cpu/testing.ts';
import { generate } from '../generate.ts';
import type { HalfFormat } from '../half.ts';
import { createTinyModel } from '../io/model-folder.ts';
import { buildLoraLayout, heldBaseWeights, initLoraParams, LoraAdapters, LORA_TARGETS } from '../lora.ts';
import { Model } from '../model.ts';
import { AdamW } from '../optimizer.ts';
import { Rng } from '../rng.ts';
import { uploadHalfFrozenBase } from './half-frozen.ts';
import { testBackend } from './testing.ts';

const TOL = 2e-4;
const ADAM = { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 };

describe('WebGPU LoRA model vs CPU', async () => {
  const gpu = await testBackend();
  for (const baseDtype of ['f32', 'bf16', 'f16'] as const) {
    it.skipIf(!gpu)(`frozen base ${baseDtype}: log-probs, adapter gradients, AdamW, decode, reference`, async () => {
      const be = gpu!;
      const loaded = createTinyModel({
        config: { model_type: 'qwen3', hidden_size: 16, intermediate_size: 24, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: 2, head_dim: 8, tie_word_embeddings: false },
        seed: 5,
      });
      const rng = new Rng(3, 3);
      const host = loaded.params.map((x) => x + 0.3 * rng.normal());
      const held = baseDtype === 'f32' ? host : heldBaseWeights(loaded.layout, host, baseDtype as HalfFormat);
      const lora = buildLoraLayout(loaded.layout.dims, { rank: 4, alpha: 8, targets: LORA_TARGETS });
      const adapter = initLoraParams(lora, 2);
      for (const e of lora.entries) for (let i = 0; i < 4 * e.OC; i++) adapter[e.bOffset + i] = 0.2 * rng.normal();

      const cpu = new CpuBackend({ threads: 1 });
      const cpuModel = new Model(cpu, loaded.layout, held.slice(), { adapters: new LoraAdapters(cpu, lora, adapter.slice()) });
      const gAdapter = be.allocFloat(lora.total);
      be.uploadFloat(gAdapter, adapter);
      const adapters = new LoraAdapters(be, lora, gAdapter);
      let gpuModel: Model<typeof gAdapter, typeof gAdapter>;
      let dispose: () => void;
      if (baseDtype === 'f32') {
        const p = be.allocFloat(loaded.layout.total);
        be.uploadFloat(p, host);
        gpuModel = new Model(be, loaded.layout, p, { adapters });
        dispose = () => be.free(p);
      } else {
        const base = await uploadHalfFrozenBase(be, loaded.layout, host, baseDtype);
        gpuModel = new Model(be, base.layout, base.params, { adapters, frozen: base.frozen });
        dispose = base.dispose;
      }

      const [B, T] = [3, 7];
      const V = loaded.config.vocab_size;
      const tokens = Int32Array.from({ length: B * T }, () => rng.int(V));
      const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
      const dlogp = Float32Array.from({ length: B * T }, () => rng.normal());
      const want = await cpuModel.forwardLogprobs(tokens, targets, B, T);
      const got = await gpuModel.forwardLogprobs(tokens, targets, B, T);
      expectClose('log-probs', got.logp, want.logp, TOL);
      cpuModel.zeroGrad();
      gpuModel.zeroGrad();
      await cpuModel.backward(dlogp);
      await gpuModel.backward(dlogp);
      expectClose('adapter gradients', await be.readFloat(gpuModel.grads), cpuModel.grads, TOL);

      const cpuAdam = new AdamW(cpu, cpuModel.trainable.layout);
      const gpuAdam = new AdamW(be, gpuModel.trainable.layout);
      await cpuAdam.step(cpuModel.trainable.params, cpuModel.trainable.grads, ADAM);
      await gpuAdam.step(gpuModel.trainable.params, gpuModel.trainable.grads, ADAM);
      expectClose('adapters after AdamW', await be.readFloat(gpuModel.trainable.params), cpuModel.trainable.params, TOL);

      const prompts = [Int32Array.from([3, 4, 5]), Int32Array.from([6, 7])];
      const decodeLogits = async (m: object) => {
        const seen: Float32Array[] = [];
        await (generate as (...a: unknown[]) => Promise<unknown>)(m, prompts, 2, {
          maxNewTokens: 3, temperature: 0, topK: 0, topP: 1, stopTokenIds: [], seed: 1, onLogits: (_t: number, l: Float32Array) => void seen.push(l),
        });
        return seen;
      };
      const [cl, gl] = [await decodeLogits(cpuModel), await decodeLogits(gpuModel)];
      expect(gl.length).toBe(cl.length);
      gl.forEach((l, t) => expectClose(`decode logits step ${t}`, l, cl[t], TOL));

      const refCpu = await cpuModel.withAdaptersOff(() => cpuModel.forwardLogprobs(tokens, targets, B, T));
      const refGpu = await gpuModel.withAdaptersOff(() => gpuModel.forwardLogprobs(tokens, targets, B, T));
      expectClose('reference (adapters off)', refGpu.logp, refCpu.logp, TOL);
      expect(refCpu.logp.some((x, i) => Math.abs(x - want.logp[i]) > 1e-3), 'adapters matter').toBe(true);
      cpuAdam.dispose();
      gpuAdam.dispose();
      gpuModel.releaseActivations();
      adapters.dispose();
      be.free(gAdapter);
      dispose();
    });
  }
});
