// WebAssembly SIMD twin of ../kvcache.ts's decodeAttention (same names and arguments; the TypeScript one stays the
// reference, kvcache.test.ts here compares them). Per cache row b, its first len[b] positions of K and V (one
// contiguous block each) and the q rows of its heads are copied into this thread's wasm memory, each head runs
// there (assembly/attention.ts attnDecodeHead), and the out rows are copied back.
import type { FloatArray, IntArray } from '../../floats.ts';
import { checkDecodeAttention } from '../kvcache.ts';
import { padFloats, wasm } from './runtime.ts';

export function decodeAttention(out: FloatArray, q: FloatArray, kCache: FloatArray, vCache: FloatArray, len: IntArray, B: number, NH: number, KVH: number, D: number, maxT: number): void {
  checkDecodeAttention(len, B, NH, KVH, maxT);
  decodeAttentionRange(out, q, kCache, vCache, len, NH, KVH, D, maxT, 0, B * NH);
}

/** decodeAttention for the (row, head) pairs u = b*NH + h in [u0, u1). */
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
  if (u1 <= u0) return;
  const group = NH / KVH;
  const scale = 1 / Math.sqrt(D);
  const KW = KVH * D;
  const b0 = Math.floor(u0 / NH);
  const b1 = Math.floor((u1 - 1) / NH) + 1;
  let Lmax = 0;
  for (let b = b0; b < b1; b++) Lmax = Math.max(Lmax, len[b]);
  const rt = wasm();
  const qa = 0;
  const oa = qa + padFloats(NH * D);
  const ka = oa + padFloats(NH * D);
  const va = ka + padFloats(Lmax * KW);
  const att = va + padFloats(Lmax * KW);
  const { mem, f, addr } = rt.reserve(att + padFloats(Lmax));
  for (let b = b0; b < b1; b++) {
    const h0 = Math.max(u0 - b * NH, 0);
    const h1 = Math.min(u1 - b * NH, NH);
    const L = len[b];
    const row = b * maxT * KW;
    mem.set(q.subarray((b * NH + h0) * D, (b * NH + h1) * D), f + qa);
    mem.set(kCache.subarray(row, row + L * KW), f + ka);
    mem.set(vCache.subarray(row, row + L * KW), f + va);
    for (let h = h0; h < h1; h++) {
      const g = Math.floor(h / group) * D;
      rt.k.attnDecodeHead(L, D, addr(qa + (h - h0) * D), addr(ka + g), addr(va + g), KW, addr(oa + (h - h0) * D), scale, addr(att));
    }
    out.set(mem.subarray(f + oa, f + oa + (h1 - h0) * D), (b * NH + h0) * D);
  }
}
