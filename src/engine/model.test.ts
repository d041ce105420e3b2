// Whole-model checks: gradients of the full decoder against finite differences (f64), cached decoding
// against a full forward, batching of unequal prompts, and seeded determinism.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from './cpu/backend.ts';
import type { ModelConfig } from './config.ts';
import { generate } from './generate.ts';
import { createTinyModel, type LoadedModel } from './io/model-folder.ts';
import { Model } from './model.ts';
import { Rng } from './rng.ts';

const SMALL = { hidden_size: 8, intermediate_size: 12, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1 };
const VARIANTS: Record<string, Partial<ModelConfig>> = {
  'llama, tied': { ...SMALL, model_type: 'llama', tie_word_embeddings: true },
  'qwen2, untied, qkv bias': { ...SMALL, model_type: 'qwen2', tie_word_embeddings: false },
  'qwen3, q/k norm, head_dim 6': { ...SMALL, model_type: 'qwen3', head_dim: 6, num_attention_heads: 4, num_key_value_heads: 2, tie_word_embeddings: false },
};

/** Re-draw every parameter from N(0, std) (norm weights around 1) so the check exercises real nonlinearity. */
function randomize(m: LoadedModel, seed: number, std = 0.4): Float32Array {
  const rng = new Rng(seed, 99);
  const p = new Float32Array(m.layout.total);
  for (const e of m.layout.entries) {
    const isNorm = e.name.includes('norm');
    for (let i = 0; i < e.size; i++) p[e.offset + i] = (isNorm ? 1 : 0) + std * rng.normal();
  }
  return p;
}

function batch(V: number, B: number, T: number, seed: number) {
  const rng = new Rng(seed, 7);
  const tokens = Int32Array.from({ length: B * T }, () => rng.int(V));
  const targets = Int32Array.from({ length: B * T }, () => rng.int(V));
  const weights = Float64Array.from({ length: B * T }, () => rng.normal());
  return { tokens, targets, weights };
}

describe('Model gradients vs finite differences (f64)', () => {
  for (const [label, cfg] of Object.entries(VARIANTS)) {
    it(label, async () => {
      const loaded = createTinyModel({ config: cfg, seed: 1 });
      const be = new CpuBackend({ precision: 'f64' });
      const host = randomize(loaded, 3);
      const params = be.allocFloat(loaded.layout.total);
      for (let i = 0; i < host.length; i++) params[i] = host[i];
      const model = new Model(be, loaded.layout, params);
      const B = 2;
      const T = 5;
      const { tokens, targets, weights } = batch(loaded.config.vocab_size, B, T, 5);
      const temperature = 0.8;
      const lossAt = async () => {
        const { logp } = await model.forwardLogprobs(tokens, targets, B, T, temperature);
        let l = 0;
        for (let i = 0; i < logp.length; i++) l += weights[i] * logp[i];
        return l;
      };
      await lossAt();
      model.zeroGrad();
      await model.backward(Float32Array.from(weights));
      const grads = model.grads.slice();
      const rng = new Rng(11, 1);
      let worst = { rel: 0, name: '', analytic: 0, numeric: 0 };
      for (const e of loaded.layout.entries) {
        for (let k = 0; k < 3; k++) {
          const i = e.offset + rng.int(e.size);
          const h = 1e-5;
          const orig = params[i];
          params[i] = orig + h;
          const lp = await lossAt();
          params[i] = orig - h;
          const lm = await lossAt();
          params[i] = orig;
          const numeric = (lp - lm) / (2 * h);
          const rel = Math.abs(numeric - grads[i]) / Math.max(1e-6, Math.abs(numeric) + Math.abs(grads[i]));
          if (rel > worst.rel) worst = { rel, name: e.name, analytic: grads[i], numeric };
        }
      }
      expect(worst.rel, `worst gradient mismatch: ${JSON.stringify(worst)}`).toBeLessThan(1e-6);
    });
  }
});

/** Full-forward log-softmax over the whole vocabulary at every position, by scoring every candidate target. */
async function fullLogSoftmax<F extends Float32Array | Float64Array>(model: Model<F, Int32Array>, seq: Int32Array, V: number): Promise<Float32Array[]> {
  const T = seq.length;
  const rows: Float32Array[] = Array.from({ length: T }, () => new Float32Array(V));
  for (let v = 0; v < V; v++) {
    const { logp } = await model.forwardLogprobs(seq, new Int32Array(T).fill(v), 1, T, 1);
    for (let t = 0; t < T; t++) rows[t][v] = logp[t];
  }
  return rows;
}

function logSoftmax(logits: Float32Array, offset: number, V: number): Float64Array {
  let m = -Infinity;
  for (let v = 0; v < V; v++) m = Math.max(m, logits[offset + v]);
  let s = 0;
  for (let v = 0; v < V; v++) s += Math.exp(logits[offset + v] - m);
  return Float64Array.from({ length: V }, (_, v) => logits[offset + v] - m - Math.log(s));
}

describe('generate', () => {
  const loaded = createTinyModel({ config: { ...VARIANTS['qwen3, q/k norm, head_dim 6'], hidden_size: 16 }, seed: 2 });
  const be = new CpuBackend();
  const model = new Model(be, loaded.layout, randomize(loaded, 4, 0.3));
  const V = loaded.config.vocab_size;
  const prompts = [Int32Array.from([5, 9, 14, 20, 3]), Int32Array.from([7, 8]), Int32Array.from([30, 31, 32])];

  it('cached decode logits equal a full forward over the same tokens, for unequal prompt lengths', async () => {
    const G = 2;
    const seen: { t: number; logits: Float32Array }[] = [];
    const out = await generate(model, prompts, G, {
      temperature: 1, topK: 0, topP: 1, maxNewTokens: 5, stopTokenIds: [], seed: 9,
      onLogits: (t, logits) => void seen.push({ t, logits: logits.slice() }),
    });
    let maxDiff = 0;
    for (let r = 0; r < prompts.length * G; r++) {
      const prompt = prompts[Math.floor(r / G)];
      const seq = Int32Array.from([...prompt, ...out.completions[r]]);
      const full = await fullLogSoftmax(model, seq, V);
      for (const { t, logits } of seen) {
        const mine = logSoftmax(logits, r * V, V);
        const ref = full[prompt.length - 1 + t];
        for (let v = 0; v < V; v++) maxDiff = Math.max(maxDiff, Math.abs(mine[v] - ref[v]));
      }
    }
    expect(maxDiff, `max |decode - full| log-prob difference ${maxDiff}`).toBeLessThan(1e-4);
  });

  it('batching prompts of different lengths gives the same greedy output as one at a time', async () => {
    const opts = { temperature: 0, topK: 0, topP: 1, maxNewTokens: 6, stopTokenIds: [], seed: 0 };
    const together = await generate(model, prompts, 1, opts);
    for (let p = 0; p < prompts.length; p++) {
      const alone = await generate(model, [prompts[p]], 1, opts);
      expect(Array.from(together.completions[p])).toEqual(Array.from(alone.completions[0]));
    }
  });

  it('the same seed gives identical samples, another seed different ones; stop tokens end rows', async () => {
    const opts = { temperature: 1.5, topK: 20, topP: 0.95, maxNewTokens: 8, stopTokenIds: [], seed: 42 };
    const a = await generate(model, prompts, 4, opts);
    const b = await generate(model, prompts, 4, opts);
    const c = await generate(model, prompts, 4, { ...opts, seed: 43 });
    expect(a.completions.map((x) => Array.from(x))).toEqual(b.completions.map((x) => Array.from(x)));
    expect(a.completions.map((x) => Array.from(x))).not.toEqual(c.completions.map((x) => Array.from(x)));
    expect(a.finish.every((f) => f === 'length')).toBe(true);
    // Make the first sampled token of row 0 a stop token: that row must end right there.
    const stop = a.completions[0][0];
    const d = await generate(model, prompts, 4, { ...opts, stopTokenIds: [stop] });
    expect(Array.from(d.completions[0])).toEqual([stop]);
    expect(d.finish[0]).toBe('stop');
  });
});
