// The one table of activation sizes (in floats or ints) that the training model, the inference runtime and the
// memory plan all read: what a decoder block keeps, the head and the backward scratch of training, the buffers of
// one inference forward, and the KV cache. Add a buffer here and every user (allocation and plan) sees it.
// Shapes use the letters of config.ts; N = B*T rows.
import type { ModelDims } from './config.ts';

/** The buffers of one decoder block over N rows (model.ts keeps one set per layer for backward). */
export interface BlockBuffers<F> {
  xIn: F; // [N,C] residual stream entering the block
  xn1: F; // [N,C] input RMSNorm
  rstd1: F; // [N]
  qPre: F; // [N,NH*D] before q-norm (q aliases it without q/k-norm)
  kPre: F; // [N,KVH*D]
  qRstd: F | null; // [N*NH] q/k-norm only
  kRstd: F | null; // [N*KVH]
  q: F; // [N,NH*D] after q-norm and RoPE
  k: F; // [N,KVH*D]
  v: F; // [N,KVH*D]
  att: F; // [N,NH*D]
  lse: F; // [B,NH,T] attention log-sum-exp (saved for backward)
  x2: F; // [N,C] after the attention residual
  xn2: F; // [N,C] post-attention RMSNorm
  rstd2: F; // [N]
  gate: F; // [N,F]
  up: F; // [N,F]
  mlp: F; // [N,F] silu(gate) * up
}

export type BlockBufferName = keyof BlockBuffers<unknown>;

/**
 * Floats of each block buffer over N rows. 0 marks a buffer that is absent (qRstd/kRstd without q/k-norm) or an
 * alias (q/k without q/k-norm: RoPE runs in place on qPre/kPre); block.ts allocBlockBuffers resolves both.
 */
export function blockBufferSizes(d: ModelDims, N: number): Record<BlockBufferName, number> {
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  return {
    xIn: N * d.C,
    xn1: N * d.C,
    rstd1: N,
    qPre: N * QD,
    kPre: N * KD,
    qRstd: d.qkNorm ? N * d.NH : 0,
    kRstd: d.qkNorm ? N * d.KVH : 0,
    q: d.qkNorm ? N * QD : 0,
    k: d.qkNorm ? N * KD : 0,
    v: N * KD,
    att: N * QD,
    lse: N * d.NH,
    x2: N * d.C,
    xn2: N * d.C,
    rstd2: N,
    gate: N * d.F,
    up: N * d.F,
    mlp: N * d.F,
  };
}

/** What training keeps besides the blocks: the final norm and head, and the backward's scratch. */
export function trainingExtraSizes(d: ModelDims, N: number) {
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  return {
    floats: {
      xFinal: N * d.C,
      hn: N * d.C,
      rstdF: N,
      logp: N,
      lseLm: N,
      entropy: N,
      dlogp: N,
      dx: N * d.C,
      dhn: N * d.C,
      dxn: N * d.C,
      dF1: N * d.F,
      dF2: N * d.F,
      dF3: N * d.F,
      dAtt: N * QD,
      dq: N * QD,
      dk: N * KD,
      dv: N * KD,
      dqPre: d.qkNorm ? N * QD : 0,
      dkPre: d.qkNorm ? N * KD : 0,
    },
    ints: { tokens: N, targets: N, pos: N },
  };
}

/** Floats of a training forward + backward over B sequences of length T (all layers kept). */
export function trainingActivationFloats(d: ModelDims, B: number, T: number): { floats: number; ints: number } {
  const N = B * T;
  const block = sum(Object.values(blockBufferSizes(d, N)));
  const extra = trainingExtraSizes(d, N);
  return { floats: d.L * block + sum(Object.values(extra.floats)), ints: sum(Object.values(extra.ints)) };
}

/**
 * The inference runtime's buffers for up to maxN rows per forward (one block set reused by every layer), of which
 * at most `sampleRows` are sampled at once (the R = P*G rows: logits are needed only at those, never for a whole
 * prefill).
 */
export function inferenceExtraSizes(d: ModelDims, maxN: number, sampleRows = maxN) {
  return {
    floats: { xLast: sampleRows * d.C, logits: sampleRows * d.V },
    ints: { tokens: maxN, pos: maxN, lens: maxN, rows: maxN, idx: sampleRows, sampled: sampleRows, seeds: sampleRows },
  };
}

export function inferenceActivationFloats(d: ModelDims, maxN: number, sampleRows = maxN): { floats: number; ints: number } {
  const extra = inferenceExtraSizes(d, maxN, sampleRows);
  return {
    floats: sum(Object.values(blockBufferSizes(d, maxN))) + sum(Object.values(extra.floats)),
    ints: sum(Object.values(extra.ints)),
  };
}

/** Floats of one layer's K (or V) cache: [rows, maxT, KVH, D]. */
export function kvCacheLayerFloats(d: ModelDims, rows: number, maxT: number): number {
  return rows * maxT * d.KVH * d.D;
}

/** Floats of a whole KV cache (K and V of every layer). */
export function kvCacheFloats(d: ModelDims, rows: number, maxT: number): number {
  return 2 * d.L * kvCacheLayerFloats(d, rows, maxT);
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
