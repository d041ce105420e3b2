// The KV cache for batched decoding and the attention step that reads it. Cache layout [rows, maxT, KVH, D]:
// one row per sequence being decoded, positions along maxT; a prompt prefilled once is copied to its G samples.
import type { FloatArray, IntArray } from '../floats.ts';

function kvGroup(NH: number, KVH: number): number {
  if (!(KVH > 0 && NH % KVH === 0)) throw new RangeError(`decodeAttention: NH (${NH}) must be a multiple of KVH (${KVH})`);
  return NH / KVH;
}

/**
 * kNew, vNew[B,S,KVH,D] -> kCache, vCache[rows, maxT, KVH, D]: token (b, s) goes to cache row cacheRow[b] at
 * position pos[b*S + s]. Throws on a row or position outside the cache.
 */
export function kvCacheWrite(
  kCache: FloatArray,
  vCache: FloatArray,
  kNew: FloatArray,
  vNew: FloatArray,
  cacheRow: IntArray,
  pos: IntArray,
  B: number,
  S: number,
  KVH: number,
  D: number,
  maxT: number,
): void {
  const W = KVH * D;
  const rows = Math.floor(kCache.length / (maxT * W));
  for (let b = 0; b < B; b++) {
    const row = cacheRow[b];
    if (!(row >= 0 && row < rows)) throw new RangeError(`kvCacheWrite: cacheRow[${b}] = ${row} is outside [0, ${rows})`);
    for (let s = 0; s < S; s++) {
      const p = pos[b * S + s];
      if (!(p >= 0 && p < maxT)) throw new RangeError(`kvCacheWrite: pos[${b * S + s}] = ${p} is outside [0, ${maxT})`);
      const dst = (row * maxT + p) * W;
      const src = (b * S + s) * W;
      for (let i = 0; i < W; i++) {
        kCache[dst + i] = kNew[src + i];
        vCache[dst + i] = vNew[src + i];
      }
    }
  }
}

/**
 * dstK, dstV[R, maxT, KVH, D] row r, positions [0, T) <- srcK, srcV row srcRow[r] (same layout). Positions >= T
 * of the destination are left as they are. dst and src must be different buffers.
 */
export function kvCacheGather(
  dstK: FloatArray,
  dstV: FloatArray,
  srcK: FloatArray,
  srcV: FloatArray,
  srcRow: IntArray,
  R: number,
  T: number,
  KVH: number,
  D: number,
  maxT: number,
): void {
  if (T > maxT) throw new RangeError(`kvCacheGather: T = ${T} exceeds maxT = ${maxT}`);
  const rowSize = maxT * KVH * D;
  const len = T * KVH * D;
  const srcRows = Math.floor(srcK.length / rowSize);
  for (let r = 0; r < R; r++) {
    const sr = srcRow[r];
    if (!(sr >= 0 && sr < srcRows)) throw new RangeError(`kvCacheGather: srcRow[${r}] = ${sr} is outside [0, ${srcRows})`);
    const src = sr * rowSize;
    const dst = r * rowSize;
    for (let i = 0; i < len; i++) {
      dstK[dst + i] = srcK[src + i];
      dstV[dst + i] = srcV[src + i];
    }
  }
}

/**
 * One decode step: q[B,NH,D] attends to kCache, vCache[rows, maxT, KVH, D] row b over
 * positions [0, len[b]) -> out[B,NH,D] (overwrites; zeros where len[b] is 0).
 */
export function decodeAttention(
  out: FloatArray,
  q: FloatArray,
  kCache: FloatArray,
  vCache: FloatArray,
  len: IntArray,
  B: number,
  NH: number,
  KVH: number,
  D: number,
  maxT: number,
): void {
  checkDecodeAttention(len, B, NH, KVH, maxT);
  decodeAttentionRange(out, q, kCache, vCache, len, NH, KVH, D, maxT, 0, B * NH);
}

/** Throws on a head count that is not a multiple of KVH or on a length outside [0, maxT]. */
export function checkDecodeAttention(len: IntArray, B: number, NH: number, KVH: number, maxT: number): void {
  kvGroup(NH, KVH);
  for (let b = 0; b < B; b++) {
    const L = len[b];
    if (!(L >= 0 && L <= maxT)) throw new RangeError(`decodeAttention: len[${b}] = ${L} is outside [0, ${maxT}]`);
  }
}

/** decodeAttention for the (row, head) pairs u = b*NH + h in [u0, u1) (so threads can share a call). */
export function decodeAttentionRange(
  out: FloatArray,
  q: FloatArray,
  kCache: FloatArray,
  vCache: FloatArray,
  len: IntArray,
  NH: number,
  KVH: number,
  D: number,
  maxT: number,
  u0: number,
  u1: number,
): void {
  const group = NH / KVH;
  const scale = 1 / Math.sqrt(D);
  const kvStride = KVH * D;
  const att = new Float64Array(maxT);
  const acc = new Float64Array(D);
  for (let u = u0; u < u1; u++) {
    const b = Math.floor(u / NH);
    const h = u - b * NH;
    const L = len[b];
    const qo = u * D;
    const kvOff = b * maxT * kvStride + Math.floor(h / group) * D;
    let max = -Infinity;
    for (let s = 0; s < L; s++) {
      const ko = kvOff + s * kvStride;
      let dot = 0;
      for (let d = 0; d < D; d++) dot += q[qo + d] * kCache[ko + d];
      const score = dot * scale;
      att[s] = score;
      if (score > max) max = score;
    }
    let sum = 0;
    for (let s = 0; s < L; s++) {
      const e = Math.exp(att[s] - max);
      att[s] = e;
      sum += e;
    }
    acc.fill(0);
    for (let s = 0; s < L; s++) {
      const p = att[s];
      const vo = kvOff + s * kvStride;
      for (let d = 0; d < D; d++) acc[d] += p * vCache[vo + d];
    }
    const inv = L > 0 ? 1 / sum : 0;
    for (let d = 0; d < D; d++) out[qo + d] = acc[d] * inv;
  }
}
