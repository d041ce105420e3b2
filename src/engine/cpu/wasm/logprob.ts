// WebAssembly SIMD twins of ../logprob.ts's fused LM head (same names, arguments and tiling: vocabulary chunks of
// LOGPROB_CHUNK rows, blocks of ROW_BLOCK hidden rows), with the logits tile kept in this thread's wasm memory:
// the gemm (assembly/gemm.ts) writes it, the softmax statistics or the gradient (assembly/logprob.ts) rewrite it
// in place, and the next gemm reads it; only h, one chunk of wlm (and of dwlm) and the results are copied. The
// TypeScript head on TypeScript matmuls stays the reference (logprob.test.ts here).
import type { FloatArray, IntArray } from '../../floats.ts';
import { checkTargets, LOGPROB_CHUNK, ROW_BLOCK } from '../logprob.ts';
import { padFloats, wasm } from './runtime.ts';

const TRANS_A = 1;
const TRANS_B = 2;
const ACCUMULATE = 4;

/** Consecutive regions of `floats` floats each, from float 0 of the scratch; returns their float offsets and the end. */
function regions<K extends string>(sizes: Record<K, number>): { at: Record<K, number>; end: number } {
  const at = {} as Record<K, number>;
  let end = 0;
  for (const k of Object.keys(sizes) as K[]) {
    at[k] = end;
    end += padFloats(sizes[k]);
  }
  return { at, end };
}

/** h[N,C], wlm[V,C], targets[N] -> logp[N], lse[N], entropy[N] (overwrite); see ../logprob.ts. */
export function logprobForward(
  logp: FloatArray,
  lse: FloatArray,
  entropy: FloatArray,
  h: FloatArray,
  wlm: FloatArray,
  targets: IntArray,
  N: number,
  C: number,
  V: number,
  temperature: number,
  chunk: number = LOGPROB_CHUNK,
): void {
  checkTargets('logprobForward', targets, N, V);
  if (N === 0) return;
  const rt = wasm();
  const nc = Math.min(chunk, V);
  const { at: r, end } = regions({ h: N * C, w: nc * C, z: ROW_BLOCK * nc, m: 2 * N, s: 2 * N, u: 2 * N, zt: 2 * N, t: N, scratch: rt.k.gemmScratchFloats(nc, C) });
  const { mem, f, addr } = rt.reserve(end);
  const f64 = (i: number) => new Float64Array(mem.buffer, addr(i), N);
  const [m, s, u, zt] = [f64(r.m), f64(r.s), f64(r.u), f64(r.zt)];
  m.fill(-Infinity);
  s.fill(0);
  u.fill(0);
  zt.fill(0);
  new Int32Array(mem.buffer, addr(r.t), N).set(targets.subarray(0, N));
  mem.set(h.subarray(0, N * C), f + r.h);
  for (let v0 = 0; v0 < V; v0 += chunk) {
    const nv = Math.min(chunk, V - v0);
    mem.set(wlm.subarray(v0 * C, (v0 + nv) * C), f + r.w);
    for (let n0 = 0; n0 < N; n0 += ROW_BLOCK) {
      const nr = Math.min(ROW_BLOCK, N - n0);
      rt.k.gemm(nr, nv, C, addr(r.h + n0 * C), addr(r.w), addr(r.z), nv, 0, TRANS_B, addr(r.scratch));
      rt.k.headStats(addr(r.z), nr, nv, 1 / temperature, addr(r.m) + 8 * n0, addr(r.s) + 8 * n0, addr(r.u) + 8 * n0, addr(r.zt) + 8 * n0, addr(r.t) + 4 * n0, v0);
    }
  }
  for (let n = 0; n < N; n++) {
    const l = m[n] + Math.log(s[n]);
    lse[n] = l;
    logp[n] = zt[n] - l;
    entropy[n] = l - u[n] / s[n];
  }
}

/** dlogp[N], h[N,C], wlm[V,C], targets[N], lse[N] -> dh[N,C] +=, dwlm[V,C] += ; see ../logprob.ts. */
export function logprobBackward(
  dh: FloatArray,
  dwlm: FloatArray | null,
  dlogp: FloatArray,
  h: FloatArray,
  wlm: FloatArray,
  targets: IntArray,
  lse: FloatArray,
  N: number,
  C: number,
  V: number,
  temperature: number,
  chunk: number = LOGPROB_CHUNK,
): void {
  checkTargets('logprobBackward', targets, N, V);
  logprobBackwardRange(dh, dwlm, dlogp, h, wlm, targets, lse, C, temperature, 0, N, 0, V, chunk);
}

/**
 * logprobBackward over rows [n0, n1) (n0 a multiple of ROW_BLOCK) and vocabulary rows [v0, v1), adding into dh
 * and dwlm where not null, on the whole call's grid of chunks and row blocks (so threads' parts sum alike).
 */
export function logprobBackwardRange(
  dh: FloatArray | null,
  dwlm: FloatArray | null,
  dlogp: FloatArray,
  h: FloatArray,
  wlm: FloatArray,
  targets: IntArray,
  lse: FloatArray,
  C: number,
  temperature: number,
  n0: number,
  n1: number,
  v0: number,
  v1: number,
  chunk: number = LOGPROB_CHUNK,
): void {
  const NR = n1 - n0;
  if (NR <= 0 || v1 <= v0 || (dh === null && dwlm === null)) return;
  const rt = wasm();
  const nc = Math.min(chunk, v1 - v0);
  const scratch = Math.max(rt.k.gemmScratchFloats(nc, C), rt.k.gemmScratchFloats(C, nc), rt.k.gemmScratchFloats(C, ROW_BLOCK));
  const { at: r, end } = regions({
    h: NR * C, dh: dh ? NR * C : 0, w: nc * C, dw: dwlm ? nc * C : 0, g: ROW_BLOCK * nc,
    hl: ROW_BLOCK * C, dhl: ROW_BLOCK * C, a: ROW_BLOCK, l: ROW_BLOCK, t: ROW_BLOCK, scratch,
  });
  const { mem, f, addr } = rt.reserve(end);
  const tg = new Int32Array(mem.buffer, addr(r.t), ROW_BLOCK);
  const live = new Int32Array(ROW_BLOCK);
  mem.set(h.subarray(n0 * C, n1 * C), f + r.h);
  if (dh) mem.set(dh.subarray(n0 * C, n1 * C), f + r.dh);
  const invT = 1 / temperature;
  for (let c0 = v0 - (v0 % chunk); c0 < v1; c0 += chunk) {
    const va = Math.max(c0, v0);
    const vb = Math.min(c0 + chunk, v1);
    const nv = vb - va;
    mem.set(wlm.subarray(va * C, vb * C), f + r.w);
    if (dwlm) mem.set(dwlm.subarray(va * C, vb * C), f + r.dw);
    for (let nb = n0; nb < n1; nb += ROW_BLOCK) {
      const nr = Math.min(ROW_BLOCK, n1 - nb);
      // the rows with a gradient, packed (the same list whatever the vocabulary range)
      let R = 0;
      for (let i = 0; i < nr; i++) if (dlogp[nb + i] !== 0) live[R++] = i;
      if (R === 0) continue;
      for (let i = 0; i < R; i++) {
        const n = nb + live[i];
        const src = f + r.h + (n - n0) * C;
        mem.copyWithin(f + r.hl + i * C, src, src + C);
        mem[f + r.a + i] = dlogp[n] / temperature;
        mem[f + r.l + i] = lse[n];
        tg[i] = targets[n] - va;
      }
      rt.k.gemm(R, nv, C, addr(r.hl), addr(r.w), addr(r.g), nv, 0, TRANS_B, addr(r.scratch));
      rt.k.headGrad(addr(r.g), R, nv, invT, addr(r.a), addr(r.l), addr(r.t));
      if (dh) {
        for (let i = 0; i < R; i++) {
          const p = f + r.dh + (nb + live[i] - n0) * C;
          mem.copyWithin(f + r.dhl + i * C, p, p + C);
        }
        rt.k.gemm(R, C, nv, addr(r.g), addr(r.w), addr(r.dhl), C, 0, ACCUMULATE, addr(r.scratch));
        for (let i = 0; i < R; i++) {
          const q = f + r.dhl + i * C;
          mem.copyWithin(f + r.dh + (nb + live[i] - n0) * C, q, q + C);
        }
      }
      if (dwlm) rt.k.gemm(nv, C, R, addr(r.g), addr(r.hl), addr(r.dw), C, 0, TRANS_A | ACCUMULATE, addr(r.scratch));
    }
    if (dwlm) dwlm.set(mem.subarray(f + r.dw, f + r.dw + nv * C), va * C);
  }
  if (dh) dh.set(mem.subarray(f + r.dh, f + r.dh + NR * C), n0 * C);
}
