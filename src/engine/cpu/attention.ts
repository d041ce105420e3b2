// Causal grouped-query attention over right-padded sequences, flash-attention style: the forward saves the
// log-sum-exp of each query row's scaled scores instead of the [T,T] probabilities, the backward recomputes them.
// The *Range variants compute a slice of the (batch, head) pairs so threads can share a call (parallel.ts).
import type { FloatArray } from '../floats.ts';

export function checkHeads(NH: number, KVH: number): number {
  if (!(KVH > 0 && NH % KVH === 0)) throw new RangeError(`attention: NH (${NH}) must be a multiple of KVH (${KVH})`);
  return NH / KVH;
}

/**
 * q[B,T,NH,D], k,v[B,T,KVH,D] -> out[B,T,NH,D], lse[B,NH,T] (both overwritten). Query t sees keys s <= t;
 * scores are scaled by 1/sqrt(D); head h reads kv head floor(h / (NH/KVH)).
 */
export function attentionForward(
  out: FloatArray,
  lse: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  B: number,
  T: number,
  NH: number,
  KVH: number,
  D: number,
): void {
  checkHeads(NH, KVH);
  attentionForwardRange(out, lse, q, k, v, T, NH, KVH, D, 0, B * NH);
}

/** attentionForward for the (batch, head) pairs u = b*NH + h in [u0, u1). */
export function attentionForwardRange(
  out: FloatArray,
  lse: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  T: number,
  NH: number,
  KVH: number,
  D: number,
  u0: number,
  u1: number,
): void {
  const group = NH / KVH;
  const scale = 1 / Math.sqrt(D);
  const qStride = NH * D;
  const kvStride = KVH * D;
  const att = new Float64Array(T);
  const acc = new Float64Array(D);
  for (let u = u0; u < u1; u++) {
    const b = Math.floor(u / NH);
    const h = u - b * NH;
    const kvOff = b * T * kvStride + Math.floor(h / group) * D;
    for (let t = 0; t < T; t++) {
      const qo = (b * T + t) * qStride + h * D;
      let max = -Infinity;
      for (let s = 0; s <= t; s++) {
        const ko = kvOff + s * kvStride;
        let dot = 0;
        for (let d = 0; d < D; d++) dot += q[qo + d] * k[ko + d];
        const score = dot * scale;
        att[s] = score;
        if (score > max) max = score;
      }
      let sum = 0;
      for (let s = 0; s <= t; s++) {
        const e = Math.exp(att[s] - max);
        att[s] = e;
        sum += e;
      }
      acc.fill(0);
      for (let s = 0; s <= t; s++) {
        const p = att[s];
        const vo = kvOff + s * kvStride;
        for (let d = 0; d < D; d++) acc[d] += p * v[vo + d];
      }
      const inv = 1 / sum;
      for (let d = 0; d < D; d++) out[qo + d] = acc[d] * inv;
      lse[(b * NH + h) * T + t] = max + Math.log(sum);
    }
  }
}

/**
 * dout, q, out[B,T,NH,D], k, v[B,T,KVH,D], lse[B,NH,T] -> dq[B,T,NH,D], dk, dv[B,T,KVH,D] (all overwritten).
 * P = exp(S - lse); dV = P^T dO; dP = dO V^T; dS = P * (dP - rowsum(dO * O)); dQ = dS K scale; dK = dS^T Q scale.
 */
export function attentionBackward(
  dq: FloatArray,
  dk: FloatArray,
  dv: FloatArray,
  dout: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  B: number,
  T: number,
  NH: number,
  KVH: number,
  D: number,
): void {
  checkHeads(NH, KVH);
  attentionBackwardRange(dq, dk, dv, dout, q, k, v, out, lse, T, NH, KVH, D, 0, B * KVH);
}

/**
 * attentionBackward for the (batch, kv head) pairs u = b*KVH + g in [u0, u1): all query heads reading kv head g,
 * in ascending order as in the whole call, so each dk/dv element sums its terms in the same order.
 */
export function attentionBackwardRange(
  dq: FloatArray,
  dk: FloatArray,
  dv: FloatArray,
  dout: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  out: FloatArray,
  lse: FloatArray,
  T: number,
  NH: number,
  KVH: number,
  D: number,
  u0: number,
  u1: number,
): void {
  const group = NH / KVH;
  const scale = 1 / Math.sqrt(D);
  const qStride = NH * D;
  const kvStride = KVH * D;
  const dqAcc = new Float64Array(D);
  for (let u = u0; u < u1; u++) {
    const b = Math.floor(u / KVH);
    const g = u - b * KVH;
    for (let t = 0; t < T; t++) {
      const o = (b * T + t) * kvStride + g * D;
      dk.fill(0, o, o + D);
      dv.fill(0, o, o + D);
    }
    for (let h = g * group; h < (g + 1) * group; h++) {
      const kvOff = b * T * kvStride + g * D;
      for (let t = 0; t < T; t++) {
        const qo = (b * T + t) * qStride + h * D;
        const L = lse[(b * NH + h) * T + t];
        let Di = 0;
        for (let d = 0; d < D; d++) Di += dout[qo + d] * out[qo + d];
        dqAcc.fill(0);
        for (let s = 0; s <= t; s++) {
          const ko = kvOff + s * kvStride;
          let dot = 0;
          let dp = 0;
          for (let d = 0; d < D; d++) {
            dot += q[qo + d] * k[ko + d];
            dp += dout[qo + d] * v[ko + d];
          }
          const p = Math.exp(dot * scale - L);
          const ds = p * (dp - Di) * scale;
          for (let d = 0; d < D; d++) {
            dv[ko + d] += p * dout[qo + d];
            dk[ko + d] += ds * q[qo + d];
            dqAcc[d] += ds * k[ko + d];
          }
        }
        for (let d = 0; d < D; d++) dq[qo + d] = dqAcc[d];
      }
    }
  }
}
