// The same Llama-style decoder written with TensorFlow.js ops (the peer the bench compares against): token
// embedding, per layer RMSNorm -> q/k/v -> RoPE (rotate_half) -> causal grouped-query attention -> o, RMSNorm
// -> SwiGLU MLP, final RMSNorm, LM head + log-softmax + gather. Weights are tf.Variables loaded from the flat
// parameter buffer of src/engine/params.ts (HF names, linear weights [out, in]); gradients come from TF.js
// autograd, the update from tf.train.adam. Runs on whichever TF.js backend is active when it is built.
// Shapes use the engine's letters: B batch, T time, N = B*T, C hidden, V vocab, NH heads, KVH kv heads, D head dim.
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims } from '../src/engine/config.ts';
import type { LayerParamNames, ParamLayout } from '../src/engine/params.ts';
import { registerModelGradients } from './tfjs-gradients.ts';

/** One batch as TF.js tensors, built once and reused by every step (as our model reuses its buffers). */
export type TfBatch = {
  B: number;
  T: number;
  tokens: tf.Tensor1D; // int32 [N]
  targetsOneHot: tf.Tensor2D; // [N,V]
  weights: tf.Tensor1D; // [N], the loss is -sum(weights * logp)
  mask: tf.Tensor2D; // [rep*T, T] additive causal mask (0 or -1e9), rep = NH/KVH
};

/** Per-layer k/v after RoPE, laid out [B, KVH, Tk, D] (the decode cache). */
export type KV = {
  k: tf.Tensor4D;
  v: tf.Tensor4D;
};

const NEG = -1e9;

export class TfModel {
  readonly dims: ModelDims;
  readonly vars = new Map<string, tf.Variable>();
  readonly embedByOneHot: boolean;
  private readonly ropeCos: tf.Tensor2D; // [maxT, D]
  private readonly ropeSin: tf.Tensor2D;

  constructor(
    readonly layout: ParamLayout,
    params: Float32Array,
  ) {
    const d = layout.dims;
    if (d.qkvBias || d.oBias || d.qkNorm) throw new Error('TfModel implements plain Llama only (no q/k/v/o bias, no q/k norm)');
    this.dims = d;
    registerModelGradients();
    for (const e of layout.entries) {
      const init = tf.tensor(params.slice(e.offset, e.offset + e.size), e.shape, 'float32');
      this.vars.set(e.name, tf.variable(init, true));
      init.dispose(); // the variable keeps the data
    }
    // The gradient of a gather is an UnsortedSegmentSum, which tfjs-backend-wasm lacks: there the training
    // forward embeds by one-hot matmul instead (same values, ~7% more multiply-adds in this config).
    this.embedByOneHot = tf.getKernel('UnsortedSegmentSum', tf.getBackend()) === undefined;
    // cos/sin of pos * theta^(-2i/D), angles in f64 as the CPU backend does, duplicated over both halves.
    const half = d.D / 2;
    const cos = new Float32Array(d.maxT * d.D);
    const sin = new Float32Array(d.maxT * d.D);
    for (let p = 0; p < d.maxT; p++) {
      for (let i = 0; i < half; i++) {
        const a = p / Math.pow(d.ropeTheta, (2 * i) / d.D);
        cos[p * d.D + i] = cos[p * d.D + half + i] = Math.cos(a);
        sin[p * d.D + i] = sin[p * d.D + half + i] = Math.sin(a);
      }
    }
    this.ropeCos = tf.tensor2d(cos, [d.maxT, d.D]);
    this.ropeSin = tf.tensor2d(sin, [d.maxT, d.D]);
  }

  W(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (!v) throw new Error(`TfModel: no variable ${name}`);
    return v;
  }

  makeBatch(tokens: Int32Array, targets: Int32Array, weights: Float32Array, B: number, T: number): TfBatch {
    const d = this.dims;
    return tf.tidy(() => ({
      B,
      T,
      tokens: tf.tensor1d(tokens, 'int32'),
      targetsOneHot: tf.cast(tf.oneHot(tf.tensor1d(targets, 'int32'), d.V), 'float32') as tf.Tensor2D,
      weights: tf.tensor1d(weights, 'float32'),
      mask: this.causalMask(T),
    }));
  }

  /** [rep*T, T]: row r*T + t (query position t of the r-th head sharing a kv head) sees keys j <= t. */
  causalMask(T: number): tf.Tensor2D {
    const rep = this.dims.NH / this.dims.KVH;
    const m = new Float32Array(rep * T * T);
    for (let r = 0; r < rep; r++) for (let t = 0; t < T; t++) for (let j = t + 1; j < T; j++) m[(r * T + t) * T + j] = NEG;
    return tf.tensor2d(m, [rep * T, T]);
  }

  /** cos/sin for positions [start, start+T) shaped [T, 1, D], broadcasting over [B, T, H, D]. */
  rope(start: number, T: number): { cos: tf.Tensor3D; sin: tf.Tensor3D } {
    const D = this.dims.D;
    return {
      cos: tf.reshape(tf.slice(this.ropeCos, [start, 0], [T, D]), [T, 1, D]),
      sin: tf.reshape(tf.slice(this.ropeSin, [start, 0], [T, D]), [T, 1, D]),
    };
  }

  /**
   * Run B rows of T new tokens (at positions after the `past` cache, or from 0) through the layers; returns the final
   * hidden states [B*T, C] and each layer's k/v including the new tokens. `mask` is null for single-token decode;
   * `forGrad` when the result will be differentiated.
   */
  hidden(tokens: tf.Tensor1D, B: number, T: number, mask: tf.Tensor2D | null, past: KV[] | null, forGrad = false): { x: tf.Tensor2D; kv: KV[] } {
    const L = this.layout;
    const start = past ? past[0].k.shape[2] : 0;
    const { cos, sin } = this.rope(start, T);
    const wte = this.W(L.embed);
    // Cast rather than tf.oneHot(..., 'float32'): tfjs-backend-wasm 4.22 writes int32 bits under a float32 dtype.
    let x: tf.Tensor2D =
      forGrad && this.embedByOneHot
        ? tf.matMul<tf.Tensor2D>(tf.cast(tf.oneHot(tokens, this.dims.V), 'float32'), wte)
        : (tf.gather(wte, tokens) as tf.Tensor2D);
    const kv: KV[] = [];
    for (let l = 0; l < this.dims.L; l++) {
      const out = this.block(x, L.layers[l], B, T, cos, sin, mask, past ? past[l] : null);
      x = out.x;
      kv.push(out.kv);
    }
    return { x, kv };
  }

  private block(
    x: tf.Tensor2D,
    n: LayerParamNames,
    B: number,
    T: number,
    cos: tf.Tensor3D,
    sin: tf.Tensor3D,
    mask: tf.Tensor2D | null,
    past: KV | null,
  ): { x: tf.Tensor2D; kv: KV } {
    const d = this.dims;
    const h = this.rmsnorm(x, this.W(n.inputNorm));
    const q = applyRope(tf.reshape(linear(h, this.W(n.q)), [B, T, d.NH, d.D]), cos, sin);
    const kNew = applyRope(tf.reshape(linear(h, this.W(n.k)), [B, T, d.KVH, d.D]), cos, sin);
    const vNew = tf.reshape(linear(h, this.W(n.v)), [B, T, d.KVH, d.D]);
    let k = tf.transpose(kNew, [0, 2, 1, 3]) as tf.Tensor4D; // [B,KVH,T,D]
    let v = tf.transpose(vNew, [0, 2, 1, 3]) as tf.Tensor4D;
    if (past) {
      k = tf.concat([past.k, k], 2);
      v = tf.concat([past.v, v], 2);
    }
    const att = this.attend(q, k, v, mask);
    const x2 = tf.add<tf.Tensor2D>(x, linear(att, this.W(n.o)));
    const h2 = this.rmsnorm(x2, this.W(n.postNorm));
    const gate = linear(h2, this.W(n.gate));
    const mlp = tf.mul<tf.Tensor2D>(tf.mul(gate, tf.sigmoid(gate)), linear(h2, this.W(n.up)));
    return { x: tf.add<tf.Tensor2D>(x2, linear(mlp, this.W(n.down))), kv: { k, v } };
  }

  /**
   * Grouped-query attention without repeating k/v: the rep = NH/KVH query heads of one kv head are stacked
   * along time, q[B,T,NH,D] -> [B,KVH,rep*T,D], against k,v[B,KVH,Tk,D]. Returns [B*T, NH*D].
   */
  private attend(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor2D | null): tf.Tensor2D {
    const d = this.dims;
    const [B, T] = q.shape;
    const rep = d.NH / d.KVH;
    const qh = tf.reshape(tf.transpose(q, [0, 2, 1, 3]), [B, d.KVH, rep * T, d.D]);
    let s = tf.mul(tf.matMul(qh, k, false, true), 1 / Math.sqrt(d.D)); // [B,KVH,rep*T,Tk]
    if (mask) s = tf.add(s, mask);
    const o = tf.matMul(tf.softmax(s), v); // [B,KVH,rep*T,D]
    return tf.reshape(tf.transpose(tf.reshape(o, [B, d.NH, T, d.D]), [0, 2, 1, 3]), [B * T, d.NH * d.D]);
  }

  private rmsnorm(x: tf.Tensor2D, w: tf.Tensor): tf.Tensor2D {
    const ms = tf.mean(tf.square(x), -1, true);
    return tf.mul(tf.mul(x, tf.rsqrt(tf.add(ms, this.dims.eps))), w);
  }

  /** Final RMSNorm and LM head: logits [rows, V] of hidden states [rows, C]. */
  logits(x: tf.Tensor2D, temperature = 1): tf.Tensor2D {
    const L = this.layout;
    const z = linear(this.rmsnorm(x, this.W(L.finalNorm)), this.W(L.lmHead));
    return temperature === 1 ? z : tf.div(z, temperature);
  }

  /** log p(targets) [N] for a training batch (LM head + log-softmax + gather by one-hot). */
  logprobs(b: TfBatch, temperature = 1, forGrad = false): tf.Tensor1D {
    const { x } = this.hidden(b.tokens, b.B, b.T, b.mask, null, forGrad);
    return tf.sum(tf.mul(tf.logSoftmax(this.logits(x, temperature)), b.targetsOneHot), -1);
  }

  /** The training objective: -sum(weights * logp), the same as our backward(-weights). */
  loss(b: TfBatch): tf.Scalar {
    return tf.neg(tf.sum(tf.mul(this.logprobs(b, 1, true), b.weights)));
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.ropeCos.dispose();
    this.ropeSin.dispose();
  }
}

/** out = inp @ weight^T with weight [out, in] as transformers stores it. */
function linear(inp: tf.Tensor2D, weight: tf.Tensor): tf.Tensor2D {
  return tf.matMul(inp, weight as tf.Tensor2D, false, true);
}

/** x * cos + rotate_half(x) * sin, rotate_half(x) = concat(-x2, x1) over the two halves of each head. */
function applyRope(x: tf.Tensor4D, cos: tf.Tensor3D, sin: tf.Tensor3D): tf.Tensor4D {
  const [x1, x2] = tf.split(x, 2, -1);
  return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(x2), x1], -1), sin));
}

/** One training step: autograd of the loss over all variables, then the optimiser's update. Resolves to the loss. */
export async function tfTrainStep(m: TfModel, opt: tf.Optimizer, b: TfBatch): Promise<number> {
  const cost = opt.minimize(() => m.loss(b), true, [...m.vars.values()]);
  if (!cost) throw new Error('optimizer.minimize returned no cost');
  // On a GPU backend the read waits for the whole step: the update was queued before it.
  const value = (await cost.data())[0];
  cost.dispose();
  return value;
}

export function disposeBatch(b: TfBatch): void {
  tf.dispose([b.tokens, b.targetsOneHot, b.weights, b.mask]);
}
