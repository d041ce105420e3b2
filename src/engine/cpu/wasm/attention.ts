// WebAssembly SIMD twins of ../attention.ts's kernels, same names and arguments (the TypeScript ones stay the
// reference; attention.test.ts here compares them). Per batch row b, the q/k/v (and for the backward dout/out)
// rows of b are copied into this thread's wasm memory in one block each, every head of the range runs there
// (assembly/attention.ts), and the results are copied back: rows of out/dq for the query heads computed, rows of
// dk/dv for the kv heads computed.
import type { FloatArray } from '../../floats.ts';
import { checkHeads } from '../attention.ts';
import { padFloats, wasm } from './runtime.ts';

/** Copy columns [c0, c1) of every one of T rows of width W from mem[from..] into dst (rows of dst at `at`). */
function copyRowsOut(dst: FloatArray, at: number, mem: Float32Array, from: number, T: number, W: number, c0: number, c1: number): void {
  if (c0 === 0 && c1 === W) {
    dst.set(mem.subarray(from, from + T * W), at);
    return;
  }
  for (let t = 0; t < T; t++) dst.set(mem.subarray(from + t * W + c0, from + t * W + c1), at + t * W + c0);
}

export function attentionForward(out: FloatArray, lse: FloatArray, q: FloatArray, k: FloatArray, v: FloatArray, B: number, T: number, NH: number, KVH: number, D: number): void {
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
  if (u1 <= u0) return;
  const group = NH / KVH;
  const scale = 1 / Math.sqrt(D);
  const [QW, KW] = [NH * D, KVH * D];
  const rt = wasm();
  const qa = 0;
  const ka = qa + padFloats(T * QW);
  const va = ka + padFloats(T * KW);
  const oa = va + padFloats(T * KW);
  const la = oa + padFloats(T * QW);
  const att = la + padFloats(NH * T);
  const { mem, f, addr } = rt.reserve(att + padFloats(T));
  for (let b = Math.floor(u0 / NH); b * NH < u1; b++) {
    const h0 = Math.max(u0 - b * NH, 0);
    const h1 = Math.min(u1 - b * NH, NH);
    mem.set(q.subarray(b * T * QW, (b + 1) * T * QW), f + qa);
    mem.set(k.subarray(b * T * KW, (b + 1) * T * KW), f + ka);
    mem.set(v.subarray(b * T * KW, (b + 1) * T * KW), f + va);
    for (let h = h0; h < h1; h++) {
      const kv = Math.floor(h / group) * D;
      rt.k.attnForwardHead(T, D, addr(qa + h * D), QW, addr(ka + kv), addr(va + kv), KW, addr(oa + h * D), addr(la + h * T), scale, addr(att));
    }
    copyRowsOut(out, b * T * QW, mem, f + oa, T, QW, h0 * D, h1 * D);
    lse.set(mem.subarray(f + la + h0 * T, f + la + h1 * T), (b * NH + h0) * T);
  }
}

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

/** attentionBackward for the (batch, kv head) pairs u = b*KVH + g in [u0, u1), their query heads in ascending order. */
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
  if (u1 <= u0) return;
  const group = NH / KVH;
  const scale = 1 / Math.sqrt(D);
  const [QW, KW] = [NH * D, KVH * D];
  const rt = wasm();
  const qa = 0;
  const da = qa + padFloats(T * QW);
  const oa = da + padFloats(T * QW);
  const dqa = oa + padFloats(T * QW);
  const ka = dqa + padFloats(T * QW);
  const va = ka + padFloats(T * KW);
  const dka = va + padFloats(T * KW);
  const dva = dka + padFloats(T * KW);
  const la = dva + padFloats(T * KW);
  const att = la + padFloats(NH * T);
  const { mem, f, addr } = rt.reserve(att + padFloats(2 * T));
  for (let b = Math.floor(u0 / KVH); b * KVH < u1; b++) {
    const g0 = Math.max(u0 - b * KVH, 0);
    const g1 = Math.min(u1 - b * KVH, KVH);
    const qb = b * T * QW;
    const kb = b * T * KW;
    mem.set(q.subarray(qb, qb + T * QW), f + qa);
    mem.set(dout.subarray(qb, qb + T * QW), f + da);
    mem.set(out.subarray(qb, qb + T * QW), f + oa);
    mem.set(k.subarray(kb, kb + T * KW), f + ka);
    mem.set(v.subarray(kb, kb + T * KW), f + va);
    mem.set(lse.subarray(b * NH * T, (b + 1) * NH * T), f + la);
    mem.fill(0, f + dka, f + dka + T * KW);
    mem.fill(0, f + dva, f + dva + T * KW);
    for (let g = g0; g < g1; g++) {
      for (let h = g * group; h < (g + 1) * group; h++) {
        rt.k.attnBackwardHead(
          T, D, addr(qa + h * D), addr(da + h * D), addr(oa + h * D), addr(dqa + h * D), QW,
          addr(ka + g * D), addr(va + g * D), addr(dka + g * D), addr(dva + g * D), KW, addr(la + h * T), scale, addr(att),
        );
      }
    }
    copyRowsOut(dq, qb, mem, f + dqa, T, QW, g0 * group * D, g1 * group * D);
    copyRowsOut(dk, kb, mem, f + dka, T, KW, g0 * D, g1 * D);
    copyRowsOut(dv, kb, mem, f + dva, T, KW, g0 * D, g1 * D);
  }
}
