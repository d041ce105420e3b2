// The KV cache on the GPU (twin of ../../cpu/kvcache.ts): write new tokens' k/v rows, copy prefilled rows to
// the G samples of a group, and one decode step of attention over each row's cache prefix.
// The CPU twin throws on a row or position outside the cache; a kernel cannot, so it skips such tokens
// (write, gather) or clamps len to [0, maxT] (decode). Callers validate on the host where it matters.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, u32 } from './dispatch-util.ts';
import decodeCode from './decode_attention.wgsl?raw';
import gatherCode from './kvcache_gather.wgsl?raw';
import writeCode from './kvcache_write.wgsl?raw';

const WRITE: KernelSpec = { name: 'kvcache_write', code: writeCode, bindings: ['rw', 'rw', 'read', 'read', 'read', 'read'] };
const GATHER: KernelSpec = { name: 'kvcache_gather', code: gatherCode, bindings: ['rw', 'rw', 'read', 'read', 'read'] };
const DECODE: KernelSpec = { name: 'decode_attention', code: decodeCode, bindings: ['rw', 'read', 'read', 'read', 'read'] };
const WG = 64;
const DECODE_MAX_D = 4 * WG;

/**
 * kNew, vNew[B,S,KVH,D] -> kCache, vCache[rows, maxT, KVH, D]: token (b, s) goes to cache row cacheRow[b] at
 * position pos[b*S + s].
 */
export function kvCacheWrite(
  ctx: GpuContext,
  kCache: GpuTensor,
  vCache: GpuTensor,
  kNew: GpuTensor,
  vNew: GpuTensor,
  cacheRow: GpuTensor,
  pos: GpuTensor,
  B: number,
  S: number,
  KVH: number,
  D: number,
  maxT: number,
): void {
  const W = KVH * D;
  const n = B * S * W;
  if (n === 0) return;
  const rows = Math.floor(kCache.length / (maxT * W));
  ctx.dispatch(WRITE, [kCache, vCache, kNew, vNew, cacheRow, pos], [u32(B), u32(S), u32(W), u32(maxT), u32(rows)], grid1d(n, WG), { WG });
}

/** dstK, dstV row r, positions [0, T) <- srcK, srcV row srcRow[r] (same layout [rows, maxT, KVH, D]). */
export function kvCacheGather(
  ctx: GpuContext,
  dstK: GpuTensor,
  dstV: GpuTensor,
  srcK: GpuTensor,
  srcV: GpuTensor,
  srcRow: GpuTensor,
  R: number,
  T: number,
  KVH: number,
  D: number,
  maxT: number,
): void {
  if (T > maxT) throw new RangeError(`kvCacheGather: T = ${T} exceeds maxT = ${maxT}`);
  const rowSize = maxT * KVH * D;
  const len = T * KVH * D;
  if (R * len === 0) return;
  const srcRows = Math.floor(srcK.length / rowSize);
  ctx.dispatch(GATHER, [dstK, dstV, srcK, srcV, srcRow], [u32(R), u32(len), u32(rowSize), u32(srcRows)], grid1d(R * len, WG), { WG });
}

/** One decode step: q[B,NH,D] attends to cache row b over positions [0, len[b]) -> out[B,NH,D] (overwrites). */
export function decodeAttention(
  ctx: GpuContext,
  out: GpuTensor,
  q: GpuTensor,
  kCache: GpuTensor,
  vCache: GpuTensor,
  len: GpuTensor,
  B: number,
  NH: number,
  KVH: number,
  D: number,
  maxT: number,
): void {
  if (!(KVH > 0 && NH % KVH === 0)) throw new RangeError(`decodeAttention: NH (${NH}) must be a multiple of KVH (${KVH})`);
  if (D > DECODE_MAX_D) throw new RangeError(`decodeAttention: head dim ${D} exceeds ${DECODE_MAX_D}`);
  if (B > 65535 || NH > 65535) throw new RangeError(`decodeAttention: B (${B}) and NH (${NH}) must be at most 65535`);
  if (B * NH === 0) return;
  const uniforms = [u32(NH), u32(KVH), u32(D), u32(maxT), ['f32', 1 / Math.sqrt(D)] as ['f32', number]];
  ctx.dispatch(DECODE, [out, q, kCache, vCache, len], uniforms, [NH, B], { WG });
}
