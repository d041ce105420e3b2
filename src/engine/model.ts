// The Llama-family decoder as an explicit sequence of kernel calls on a Backend: forward that keeps what
// backward needs, backward that accumulates into one flat gradient buffer, and the fused log-prob head.
// Training batches are B right-padded sequences of length T (N = B*T rows); padding after the real tokens
// never reaches a real row under the causal mask, so no attention mask is needed.
import type { Backend, TensorLike } from './backend.ts';
import type { ParamLayout, LayerParamNames } from './params.ts';
import { paramEntry } from './params.ts';

interface LayerActs<F> {
  xIn: F; // [N,C] residual stream entering the layer
  xn1: F; // [N,C]
  rstd1: F; // [N]
  qPre: F; // [N,NH*D] before q-norm (aliases q without q-norm)
  kPre: F; // [N,KVH*D]
  qRstd: F | null; // [N*NH]
  kRstd: F | null; // [N*KVH]
  q: F; // [N,NH*D] after norm and rope
  k: F; // [N,KVH*D]
  v: F; // [N,KVH*D]
  att: F; // [N,NH*D]
  lse: F; // [B,NH,T]
  x2: F; // [N,C] after the attention residual
  xn2: F; // [N,C]
  rstd2: F; // [N]
  gate: F; // [N,F]
  up: F; // [N,F]
  mlp: F; // [N,F] silu(gate)*up
}

interface Activations<F, I> {
  B: number;
  T: number;
  tokens: I;
  targets: I;
  pos: I;
  layers: LayerActs<F>[];
  xFinal: F; // [N,C]
  hn: F; // [N,C]
  rstdF: F; // [N]
  logp: F; // [N]
  lseLm: F; // [N]
  entropy: F; // [N]
  // scratch for backward
  dx: F;
  dhn: F;
  dxn: F;
  dF1: F;
  dF2: F;
  dF3: F;
  dAtt: F;
  dq: F;
  dk: F;
  dv: F;
  dqPre: F | null;
  dkPre: F | null;
  dlogp: F;
  temperature: number;
}

/** Views of every parameter tensor of a flat buffer (params or grads), by layout name. */
export type TensorViews<F> = (name: string) => F;

export function tensorViews<F extends TensorLike>(backend: Backend<F, TensorLike>, layout: ParamLayout, flat: F): TensorViews<F> {
  const cache = new Map<string, F>();
  return (name: string) => {
    let t = cache.get(name);
    if (!t) {
      const e = paramEntry(layout, name);
      t = backend.view(flat, e.offset, e.size);
      cache.set(name, t);
    }
    return t;
  };
}

export interface LogprobResult {
  logp: Float32Array; // [B*T]: log p(targets[n] | tokens[..n])
  entropy: Float32Array; // [B*T]
}

export class Model<F extends TensorLike, I extends TensorLike> {
  readonly params: F;
  private readonly W: TensorViews<F>;
  private gradsFlat: F | null = null;
  private dW: TensorViews<F> | null = null;
  private acts: Activations<F, I> | null = null;

  constructor(
    readonly backend: Backend<F, I>,
    readonly layout: ParamLayout,
    params: F,
  ) {
    this.params = params;
    this.W = tensorViews(backend as Backend<F, TensorLike>, layout, params);
  }

  get dims() {
    return this.layout.dims;
  }

  /** The flat gradient buffer (allocated on first use). */
  get grads(): F {
    if (!this.gradsFlat) {
      this.gradsFlat = this.backend.allocFloat(this.layout.total);
      this.dW = tensorViews(this.backend as Backend<F, TensorLike>, this.layout, this.gradsFlat);
    }
    return this.gradsFlat;
  }

  zeroGrad(): void {
    this.backend.zero(this.grads);
  }

  /** Weights view by HF name (for tests and export). */
  weight(name: string): F {
    return this.W(name);
  }

  private ensureActs(B: number, T: number, temperature: number): Activations<F, I> {
    const a = this.acts;
    if (a && a.B === B && a.T === T) {
      a.temperature = temperature;
      return a;
    }
    if (a) this.freeActs(a);
    const be = this.backend;
    const d = this.dims;
    const N = B * T;
    const f = (n: number) => be.allocFloat(n);
    const layers: LayerActs<F>[] = [];
    for (let l = 0; l < d.L; l++) {
      const qPre = f(N * d.NH * d.D);
      const kPre = f(N * d.KVH * d.D);
      layers.push({
        xIn: f(N * d.C),
        xn1: f(N * d.C),
        rstd1: f(N),
        qPre,
        kPre,
        qRstd: d.qkNorm ? f(N * d.NH) : null,
        kRstd: d.qkNorm ? f(N * d.KVH) : null,
        q: d.qkNorm ? f(N * d.NH * d.D) : qPre,
        k: d.qkNorm ? f(N * d.KVH * d.D) : kPre,
        v: f(N * d.KVH * d.D),
        att: f(N * d.NH * d.D),
        lse: f(B * d.NH * T),
        x2: f(N * d.C),
        xn2: f(N * d.C),
        rstd2: f(N),
        gate: f(N * d.F),
        up: f(N * d.F),
        mlp: f(N * d.F),
      });
    }
    const pos = new Int32Array(N);
    for (let n = 0; n < N; n++) pos[n] = n % T;
    const posT = be.allocInt(N);
    be.uploadInt(posT, pos);
    const acts: Activations<F, I> = {
      B,
      T,
      tokens: be.allocInt(N),
      targets: be.allocInt(N),
      pos: posT,
      layers,
      xFinal: f(N * d.C),
      hn: f(N * d.C),
      rstdF: f(N),
      logp: f(N),
      lseLm: f(N),
      entropy: f(N),
      dx: f(N * d.C),
      dhn: f(N * d.C),
      dxn: f(N * d.C),
      dF1: f(N * d.F),
      dF2: f(N * d.F),
      dF3: f(N * d.F),
      dAtt: f(N * d.NH * d.D),
      dq: f(N * d.NH * d.D),
      dk: f(N * d.KVH * d.D),
      dv: f(N * d.KVH * d.D),
      dqPre: d.qkNorm ? f(N * d.NH * d.D) : null,
      dkPre: d.qkNorm ? f(N * d.KVH * d.D) : null,
      dlogp: f(N),
      temperature,
    };
    this.acts = acts;
    return acts;
  }

  private freeActs(a: Activations<F, I>): void {
    const be = this.backend;
    const seen = new Set<F | I>();
    const free = (t: F | I | null) => {
      if (t && !seen.has(t)) {
        seen.add(t);
        be.free(t);
      }
    };
    for (const la of a.layers) for (const t of Object.values(la)) free(t as F | null);
    for (const [key, t] of Object.entries(a)) {
      if (key !== 'layers' && key !== 'B' && key !== 'T' && key !== 'temperature') free(t as F | I);
    }
  }

  /** Release activation memory (e.g. between phases on a memory-tight GPU). */
  releaseActivations(): void {
    if (this.acts) this.freeActs(this.acts);
    this.acts = null;
  }

  /**
   * Forward over B right-padded sequences of length T; returns log p(targets) and entropy per position,
   * with logits divided by `temperature` (as GRPO scores the policy that sampled at that temperature).
   * Keeps activations for `backward`.
   */
  async forwardLogprobs(tokens: Int32Array, targets: Int32Array, B: number, T: number, temperature = 1): Promise<LogprobResult> {
    const be = this.backend;
    const d = this.dims;
    const L = this.layout;
    const W = this.W;
    const N = B * T;
    if (tokens.length !== N || targets.length !== N) throw new Error(`forwardLogprobs: expected ${N} tokens and targets`);
    if (T > d.maxT) throw new Error(`sequence length ${T} exceeds max_position_embeddings ${d.maxT}`);
    const a = this.ensureActs(B, T, temperature);
    be.uploadInt(a.tokens, tokens);
    be.uploadInt(a.targets, targets);
    be.embeddingForward(a.layers.length ? a.layers[0].xIn : a.xFinal, a.tokens, W(L.embed), N, d.C);
    for (let l = 0; l < d.L; l++) {
      const la = a.layers[l];
      const out = l + 1 < d.L ? a.layers[l + 1].xIn : a.xFinal;
      this.layerForward(la, L.layers[l], a.pos, B, T, out);
    }
    be.rmsnormForward(a.hn, a.rstdF, a.xFinal, W(L.finalNorm), N, d.C, d.eps);
    be.logprobForward(a.logp, a.lseLm, a.entropy, a.hn, W(L.lmHead), a.targets, N, d.C, d.V, temperature);
    const [logp, entropy] = await Promise.all([be.readFloat(a.logp), be.readFloat(a.entropy)]);
    return { logp, entropy };
  }

  private layerForward(la: LayerActs<F>, n: LayerParamNames, pos: I, B: number, T: number, out: F): void {
    const be = this.backend;
    const d = this.dims;
    const W = this.W;
    const N = B * T;
    const QD = d.NH * d.D;
    const KD = d.KVH * d.D;
    be.rmsnormForward(la.xn1, la.rstd1, la.xIn, W(n.inputNorm), N, d.C, d.eps);
    be.matmulForward(la.qPre, la.xn1, W(n.q), n.qBias ? W(n.qBias) : null, N, d.C, QD);
    be.matmulForward(la.kPre, la.xn1, W(n.k), n.kBias ? W(n.kBias) : null, N, d.C, KD);
    be.matmulForward(la.v, la.xn1, W(n.v), n.vBias ? W(n.vBias) : null, N, d.C, KD);
    if (n.qNorm && n.kNorm && la.qRstd && la.kRstd) {
      be.rmsnormForward(la.q, la.qRstd, la.qPre, W(n.qNorm), N * d.NH, d.D, d.eps);
      be.rmsnormForward(la.k, la.kRstd, la.kPre, W(n.kNorm), N * d.KVH, d.D, d.eps);
    }
    be.ropeForward(la.q, pos, N, d.NH, d.D, d.ropeTheta);
    be.ropeForward(la.k, pos, N, d.KVH, d.D, d.ropeTheta);
    be.attentionForward(la.att, la.lse, la.q, la.k, la.v, B, T, d.NH, d.KVH, d.D);
    be.matmulForward(la.x2, la.att, W(n.o), n.oBias ? W(n.oBias) : null, N, QD, d.C);
    be.accumulate(la.x2, la.xIn);
    be.rmsnormForward(la.xn2, la.rstd2, la.x2, W(n.postNorm), N, d.C, d.eps);
    be.matmulForward(la.gate, la.xn2, W(n.gate), null, N, d.C, d.F);
    be.matmulForward(la.up, la.xn2, W(n.up), null, N, d.C, d.F);
    be.swigluForward(la.mlp, la.gate, la.up, N, d.F);
    be.matmulForward(out, la.mlp, W(n.down), null, N, d.F, d.C);
    be.accumulate(out, la.x2);
  }

  /** Back-propagate dL/dlogp[B*T] through the last forwardLogprobs, adding into `grads`. */
  async backward(dlogp: Float32Array): Promise<void> {
    const a = this.acts;
    if (!a) throw new Error('backward called before forwardLogprobs');
    const be = this.backend;
    const d = this.dims;
    const L = this.layout;
    const W = this.W;
    void this.grads;
    const dW = this.dW!;
    const { B, T } = a;
    const N = B * T;
    if (dlogp.length !== N) throw new Error(`backward: expected ${N} gradients, got ${dlogp.length}`);
    be.uploadFloat(a.dlogp, dlogp);
    be.zero(a.dhn);
    be.logprobBackward(a.dhn, dW(L.lmHead), a.dlogp, a.hn, W(L.lmHead), a.targets, a.lseLm, N, d.C, d.V, a.temperature);
    be.zero(a.dx);
    be.rmsnormBackward(a.dx, dW(L.finalNorm), a.dhn, a.xFinal, W(L.finalNorm), a.rstdF, N, d.C);
    for (let l = d.L - 1; l >= 0; l--) this.layerBackward(a, a.layers[l], L.layers[l]);
    be.embeddingBackward(dW(L.embed), a.dx, a.tokens, N, d.C);
    await be.sync();
  }

  /** On entry a.dx holds dL/d(layer output); on exit dL/d(layer input). */
  private layerBackward(a: Activations<F, I>, la: LayerActs<F>, n: LayerParamNames): void {
    const be = this.backend;
    const d = this.dims;
    const W = this.W;
    const dW = this.dW!;
    const N = a.B * a.T;
    const QD = d.NH * d.D;
    const KD = d.KVH * d.D;
    // out = x2 + down(mlp)
    const dmlp = a.dF1;
    be.zero(dmlp);
    be.matmulBackward(dmlp, dW(n.down), null, a.dx, la.mlp, W(n.down), N, d.F, d.C);
    be.swigluBackward(a.dF2, a.dF3, dmlp, la.gate, la.up, N, d.F);
    be.zero(a.dxn);
    be.matmulBackward(a.dxn, dW(n.gate), null, a.dF2, la.xn2, W(n.gate), N, d.C, d.F);
    be.matmulBackward(a.dxn, dW(n.up), null, a.dF3, la.xn2, W(n.up), N, d.C, d.F);
    be.rmsnormBackward(a.dx, dW(n.postNorm), a.dxn, la.x2, W(n.postNorm), la.rstd2, N, d.C);
    // x2 = xIn + o(att)
    be.zero(a.dAtt);
    be.matmulBackward(a.dAtt, dW(n.o), n.oBias ? dW(n.oBias) : null, a.dx, la.att, W(n.o), N, QD, d.C);
    // dq/dk: gradients w.r.t. q/k as attention saw them (after norm and rope).
    be.attentionBackward(a.dq, a.dk, a.dv, a.dAtt, la.q, la.k, la.v, la.att, la.lse, a.B, a.T, d.NH, d.KVH, d.D);
    be.ropeBackward(a.dq, a.pos, N, d.NH, d.D, d.ropeTheta);
    be.ropeBackward(a.dk, a.pos, N, d.KVH, d.D, d.ropeTheta);
    let dqIn = a.dq;
    let dkIn = a.dk;
    if (n.qNorm && n.kNorm && la.qRstd && la.kRstd && a.dqPre && a.dkPre) {
      be.zero(a.dqPre);
      be.zero(a.dkPre);
      be.rmsnormBackward(a.dqPre, dW(n.qNorm), a.dq, la.qPre, W(n.qNorm), la.qRstd, N * d.NH, d.D);
      be.rmsnormBackward(a.dkPre, dW(n.kNorm), a.dk, la.kPre, W(n.kNorm), la.kRstd, N * d.KVH, d.D);
      dqIn = a.dqPre;
      dkIn = a.dkPre;
    }
    be.zero(a.dxn);
    be.matmulBackward(a.dxn, dW(n.q), n.qBias ? dW(n.qBias) : null, dqIn, la.xn1, W(n.q), N, d.C, QD);
    be.matmulBackward(a.dxn, dW(n.k), n.kBias ? dW(n.kBias) : null, dkIn, la.xn1, W(n.k), N, d.C, KD);
    be.matmulBackward(a.dxn, dW(n.v), n.vBias ? dW(n.vBias) : null, a.dv, la.xn1, W(n.v), N, d.C, KD);
    be.rmsnormBackward(a.dx, dW(n.inputNorm), a.dxn, la.xIn, W(n.inputNorm), la.rstd1, N, d.C);
  }
}
