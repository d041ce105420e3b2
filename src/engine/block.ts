// The one Llama-family decoder block, forward and backward side by side, used by training (model.ts) and by
// inference (generate.ts):
//   x2  = xIn + o(attention(rope(qnorm(q(rmsnorm(xIn)))), rope(knorm(k(..))), v(..)))
//   out = x2 + down(silu(gate(rmsnorm(x2))) * up(rmsnorm(x2)))
// Attention is passed in (`attend`): causal over the batch in training and prefill, or over the KV cache in
// decode. Every projection goes through `Linears`, the one place adapters (LoRA) or other weight formats plug in.
// Buffers follow activations.ts; N = B*T rows. `out` may alias `a.xIn` (inference updates the residual in place).
import type { Backend, TensorLike } from './backend.ts';
import type { BlockBuffers } from './activations.ts';
import type { ModelDims } from './config.ts';
import type { LayerParamNames } from './params.ts';

/** Views of every parameter tensor of a flat buffer (params or grads), by layout name. */
export type TensorViews<F> = (name: string) => F;

export type LinearKind = 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';

/** The projections of one block: out[N,OC] = inp[N,C] @ W^T (+ b), and its backward (adds into dinp and grads). */
export interface Linears<F> {
  forward(kind: LinearKind, out: F, inp: F, N: number, C: number, OC: number): void;
  backward(kind: LinearKind, dinp: F, dout: F, inp: F, N: number, C: number, OC: number): void;
}

const BIAS: Record<LinearKind, 'qBias' | 'kBias' | 'vBias' | 'oBias' | null> = {
  q: 'qBias',
  k: 'kBias',
  v: 'vBias',
  o: 'oBias',
  gate: null,
  up: null,
  down: null,
};

/** Plain dense projections with the layer's weights and biases; `dW` null for inference (no backward). */
export function denseLinears<F extends TensorLike, I extends TensorLike>(
  be: Backend<F, I>,
  n: LayerParamNames,
  W: TensorViews<F>,
  dW: TensorViews<F> | null,
): Linears<F> {
  const biasName = (kind: LinearKind) => {
    const key = BIAS[kind];
    return key ? n[key] : undefined;
  };
  return {
    forward(kind, out, inp, N, C, OC) {
      const b = biasName(kind);
      be.matmulForward(out, inp, W(n[kind]), b ? W(b) : null, N, C, OC);
    },
    backward(kind, dinp, dout, inp, N, C, OC) {
      if (!dW) throw new Error('denseLinears: backward without gradient views');
      const b = biasName(kind);
      be.matmulBackward(dinp, dW(n[kind]), b ? dW(b) : null, dout, inp, W(n[kind]), N, C, OC);
    },
  };
}

export interface BlockContext<F extends TensorLike, I extends TensorLike> {
  be: Backend<F, I>;
  d: ModelDims;
  n: LayerParamNames;
  W: TensorViews<F>;
  linears: Linears<F>;
}

/** Attention of the block: writes att[N,NH*D] (and lse where it is kept) from q, k, v after RoPE. */
export type Attend<F> = (att: F, lse: F, q: F, k: F, v: F) => void;

export function blockForward<F extends TensorLike, I extends TensorLike>(
  ctx: BlockContext<F, I>,
  a: BlockBuffers<F>,
  pos: I,
  N: number,
  attend: Attend<F>,
  out: F,
): void {
  const { be, d, n, W, linears } = ctx;
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  be.rmsnormForward(a.xn1, a.rstd1, a.xIn, W(n.inputNorm), N, d.C, d.eps);
  linears.forward('q', a.qPre, a.xn1, N, d.C, QD);
  linears.forward('k', a.kPre, a.xn1, N, d.C, KD);
  linears.forward('v', a.v, a.xn1, N, d.C, KD);
  if (n.qNorm && n.kNorm && a.qRstd && a.kRstd) {
    // Qwen3: per-head RMSNorm before RoPE.
    be.rmsnormForward(a.q, a.qRstd, a.qPre, W(n.qNorm), N * d.NH, d.D, d.eps);
    be.rmsnormForward(a.k, a.kRstd, a.kPre, W(n.kNorm), N * d.KVH, d.D, d.eps);
  }
  be.ropeForward(a.q, pos, N, d.NH, d.D, d.ropeTheta);
  be.ropeForward(a.k, pos, N, d.KVH, d.D, d.ropeTheta);
  attend(a.att, a.lse, a.q, a.k, a.v);
  linears.forward('o', a.x2, a.att, N, QD, d.C);
  be.accumulate(a.x2, a.xIn);
  be.rmsnormForward(a.xn2, a.rstd2, a.x2, W(n.postNorm), N, d.C, d.eps);
  linears.forward('gate', a.gate, a.xn2, N, d.C, d.F);
  linears.forward('up', a.up, a.xn2, N, d.C, d.F);
  be.swigluForward(a.mlp, a.gate, a.up, N, d.F);
  linears.forward('down', out, a.mlp, N, d.F, d.C);
  be.accumulate(out, a.x2);
}

/** Scratch gradients of a backward pass, shared by all blocks (sizes in activations.ts trainingExtraSizes). */
export interface BlockScratch<F> {
  dx: F; // [N,C] in: dL/d(block output); out: dL/d(block input)
  dxn: F; // [N,C]
  dF1: F; // [N,F]
  dF2: F;
  dF3: F;
  dAtt: F; // [N,NH*D]
  dq: F;
  dk: F; // [N,KVH*D]
  dv: F;
  dqPre: F | null;
  dkPre: F | null;
}

/** On entry s.dx holds dL/d(block output); on exit dL/d(block input). Adds into the parameter gradients dW. */
export function blockBackward<F extends TensorLike, I extends TensorLike>(
  ctx: BlockContext<F, I>,
  dW: TensorViews<F>,
  a: BlockBuffers<F>,
  s: BlockScratch<F>,
  pos: I,
  B: number,
  T: number,
): void {
  const { be, d, n, W, linears } = ctx;
  const N = B * T;
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  // out = x2 + down(mlp)
  be.zero(s.dF1);
  linears.backward('down', s.dF1, s.dx, a.mlp, N, d.F, d.C);
  be.swigluBackward(s.dF2, s.dF3, s.dF1, a.gate, a.up, N, d.F);
  be.zero(s.dxn);
  linears.backward('gate', s.dxn, s.dF2, a.xn2, N, d.C, d.F);
  linears.backward('up', s.dxn, s.dF3, a.xn2, N, d.C, d.F);
  be.rmsnormBackward(s.dx, dW(n.postNorm), s.dxn, a.x2, W(n.postNorm), a.rstd2, N, d.C);
  // x2 = xIn + o(att)
  be.zero(s.dAtt);
  linears.backward('o', s.dAtt, s.dx, a.att, N, QD, d.C);
  // dq/dk: gradients w.r.t. q/k as attention saw them (after norm and rope).
  be.attentionBackward(s.dq, s.dk, s.dv, s.dAtt, a.q, a.k, a.v, a.att, a.lse, B, T, d.NH, d.KVH, d.D);
  be.ropeBackward(s.dq, pos, N, d.NH, d.D, d.ropeTheta);
  be.ropeBackward(s.dk, pos, N, d.KVH, d.D, d.ropeTheta);
  let dqIn = s.dq;
  let dkIn = s.dk;
  if (n.qNorm && n.kNorm && a.qRstd && a.kRstd && s.dqPre && s.dkPre) {
    be.zero(s.dqPre);
    be.zero(s.dkPre);
    be.rmsnormBackward(s.dqPre, dW(n.qNorm), s.dq, a.qPre, W(n.qNorm), a.qRstd, N * d.NH, d.D);
    be.rmsnormBackward(s.dkPre, dW(n.kNorm), s.dk, a.kPre, W(n.kNorm), a.kRstd, N * d.KVH, d.D);
    dqIn = s.dqPre;
    dkIn = s.dkPre;
  }
  be.zero(s.dxn);
  linears.backward('q', s.dxn, dqIn, a.xn1, N, d.C, QD);
  linears.backward('k', s.dxn, dkIn, a.xn1, N, d.C, KD);
  linears.backward('v', s.dxn, s.dv, a.xn1, N, d.C, KD);
  be.rmsnormBackward(s.dx, dW(n.inputNorm), s.dxn, a.xIn, W(n.inputNorm), a.rstd1, N, d.C);
}

/** Allocate a set of block buffers from the size table (aliases resolved, absent buffers null). */
export function allocBlockBuffers<F extends TensorLike>(
  sizes: Record<keyof BlockBuffers<F>, number>,
  alloc: (n: number) => F,
): BlockBuffers<F> {
  const t = (n: number) => (n > 0 ? alloc(n) : null);
  const qPre = alloc(sizes.qPre);
  const kPre = alloc(sizes.kPre);
  return {
    xIn: alloc(sizes.xIn),
    xn1: alloc(sizes.xn1),
    rstd1: alloc(sizes.rstd1),
    qPre,
    kPre,
    qRstd: t(sizes.qRstd),
    kRstd: t(sizes.kRstd),
    q: t(sizes.q) ?? qPre,
    k: t(sizes.k) ?? kPre,
    v: alloc(sizes.v),
    att: alloc(sizes.att),
    lse: alloc(sizes.lse),
    x2: alloc(sizes.x2),
    xn2: alloc(sizes.xn2),
    rstd2: alloc(sizes.rstd2),
    gate: alloc(sizes.gate),
    up: alloc(sizes.up),
    mlp: alloc(sizes.mlp),
  };
}

/** Views of the first rows of a larger set of block buffers, sized by the table for fewer rows (aliases kept). */
export function viewBlockBuffers<F extends TensorLike>(
  full: BlockBuffers<F>,
  sizes: Record<keyof BlockBuffers<F>, number>,
  view: (t: F, n: number) => F,
): BlockBuffers<F> {
  const v = (key: keyof BlockBuffers<F>) => {
    const t = full[key];
    return t && sizes[key] > 0 ? view(t, sizes[key]) : null;
  };
  const qPre = v('qPre')!;
  const kPre = v('kPre')!;
  return {
    xIn: v('xIn')!,
    xn1: v('xn1')!,
    rstd1: v('rstd1')!,
    qPre,
    kPre,
    qRstd: v('qRstd'),
    kRstd: v('kRstd'),
    q: v('q') ?? qPre,
    k: v('k') ?? kPre,
    v: v('v')!,
    att: v('att')!,
    lse: v('lse')!,
    x2: v('x2')!,
    xn2: v('xn2')!,
    rstd2: v('rstd2')!,
    gate: v('gate')!,
    up: v('up')!,
    mlp: v('mlp')!,
  };
}
