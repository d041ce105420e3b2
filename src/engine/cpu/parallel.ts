// The CPU kernels that helper threads share (pool.ts): for each, how one call splits into parts and what part p of
// P computes (part 0 of 1 computes the whole call, as the plain kernel does). Threads take parts as chunks of a
// job (thread.ts), so which thread computes a part does not matter. Every split keeps each
// output element's sum in the same order as the whole call (rows of a matmul split on multiples of its 4-row
// tile, weight gradients split by output channel, attention by (batch, head)), so any number of threads gives
// bit-identical results; no two parts write the same element, so no atomics on floats.
// Shapes and letters as in backend.ts. Each kernel also states its cost, so small calls stay on one thread.
import type { FloatArray, IntArray } from '../floats.ts';
import { adamw, checkAdamw } from './adamw.ts';
import * as jsAttention from './attention.ts';
import { checkHeads } from './attention.ts';
import * as wasmAttention from './wasm/attention.ts';
import { checkDecodeAttention, decodeAttentionRange } from './kvcache.ts';
import * as wasmKv from './wasm/kvcache.ts';
import * as jsHead from './logprob.ts';
import { checkTargets, ROW_BLOCK } from './logprob.ts';
import * as wasmHead from './wasm/logprob.ts';
import * as jsMatmul from './matmul.ts';
import * as wasmMatmul from './wasm/matmul.ts';
import { rmsnormForward } from './rmsnorm.ts';
import * as jsSwiglu from './swiglu.ts';
import * as wasmSwiglu from './wasm/swiglu.ts';

/** What a kernel call passes: tensors (views of shared buffers when threads run), numbers, or null. */
export type Arg = FloatArray | IntArray | number | null;

/**
 * [lo, hi) of part `part` of `parts` over `total` items, every boundary on a multiple of `align` except the end of
 * the last part (total). Parts are as even as the alignment allows; some may be empty.
 */
export function splitRange(total: number, part: number, parts: number, align = 1): [number, number] {
  const units = Math.ceil(total / align);
  const lo = Math.min(total, Math.floor((units * part) / parts) * align);
  const hi = part === parts - 1 ? total : Math.min(total, Math.floor((units * (part + 1)) / parts) * align);
  return [lo, hi];
}

interface SplitKernel<A extends Arg[]> {
  /** Throws on invalid arguments; runs on the calling thread before any part starts. */
  check(...a: A): void;
  /** Multiply-adds (roughly) of the whole call, and how many parts it can usefully split into. */
  cost(...a: A): { work: number; units: number };
  /** Part `part` of `parts`. */
  part(part: number, parts: number, ...a: A): void;
}

const kernel = <A extends Arg[]>(k: SplitKernel<A>): SplitKernel<A> => k;
const none = (): void => {};

type F = FloatArray;
type I = IntArray;
type N = number;

/** The kernels a call's last argument picks: 1 the WebAssembly SIMD ones (wasm/), 0 the plain TypeScript ones. */
const matmulKernels = (wasm: number) => (wasm === 1 ? wasmMatmul : jsMatmul);
const attentionKernels = (wasm: number) => (wasm === 1 ? wasmAttention : jsAttention);
const swigluKernels = (wasm: number) => (wasm === 1 ? wasmSwiglu : jsSwiglu);
const headKernels = (wasm: number) => (wasm === 1 ? wasmHead : jsHead);

export const SPLIT_KERNELS = {
  /** By rows (multiples of 4) when there are enough of them, else by output channels (decode's few rows). */
  matmulForward: kernel<[F, F, F, F | null, N, N, N, N]>({
    check: none,
    cost: (_o, _i, _w, _b, N, C, OC) => ({ work: N * C * OC, units: Math.max(Math.ceil(N / 4), Math.ceil(OC / 4)) }),
    part(p, P, out, inp, weight, bias, N, C, OC, wasm) {
      const { matmulForward, matmulForwardRange } = matmulKernels(wasm);
      const rowBlocks = Math.ceil(N / 4);
      if (rowBlocks >= 2 * P || rowBlocks >= Math.ceil(OC / 4)) {
        const [lo, hi] = splitRange(N, p, P, 4);
        if (lo < hi) matmulForward(out.subarray(lo * OC, hi * OC), inp.subarray(lo * C, hi * C), weight, bias, hi - lo, C, OC);
      } else {
        const [lo, hi] = splitRange(OC, p, P, 4);
        if (lo < hi) matmulForwardRange(out, inp, weight, bias, N, C, OC, lo, hi);
      }
    },
  }),
  /**
   * dinp by non-zero rows (multiples of 4), dweight and dbias by output channels (multiples of 4). `rows` are the
   * non-zero rows of dout (nonZeroRows, found once by the caller), so this takes them instead of N.
   */
  matmulBackward: kernel<[F | null, F | null, F | null, F, F, F, I, N, N, N]>({
    check: none,
    cost: (dinp, dw, _db, _d, _i, _w, rows, C, OC) => ({
      work: ((dinp ? 1 : 0) + (dw ? 1 : 0)) * rows.length * C * OC,
      units: Math.max(Math.ceil(rows.length / 4), Math.ceil(OC / 4)),
    }),
    part(p, P, dinp, dweight, dbias, dout, inp, weight, rows, C, OC, wasm) {
      const { matmulBackwardInputRange, matmulBackwardWeightRange } = matmulKernels(wasm);
      if (dinp !== null) {
        const [r0, r1] = splitRange(rows.length, p, P, 4);
        if (r0 < r1) matmulBackwardInputRange(dinp, dout, weight, rows, C, OC, r0, r1);
      }
      const [o0, o1] = splitRange(OC, p, P, 4);
      if (o0 < o1 && dweight !== null) matmulBackwardWeightRange(dweight, dbias, dout, inp, rows, C, OC, o0, o1);
    },
  }),
  /** By (batch, head) pairs. */
  attentionForward: kernel<[F, F, F, F, F, N, N, N, N, N, N]>({
    check: (_o, _l, _q, _k, _v, _B, _T, NH, KVH) => void checkHeads(NH, KVH),
    cost: (_o, _l, _q, _k, _v, B, T, NH, _KVH, D) => ({ work: B * NH * T * (T + 1) * D, units: B * NH }),
    part(p, P, out, lse, q, k, v, B, T, NH, KVH, D, wasm) {
      const [u0, u1] = splitRange(B * NH, p, P);
      if (u0 < u1) attentionKernels(wasm).attentionForwardRange(out, lse, q, k, v, T, NH, KVH, D, u0, u1);
    },
  }),
  /** By (batch, kv head) pairs: the query heads sharing a kv head stay in one part, so dk and dv never collide. */
  attentionBackward: kernel<[F, F, F, F, F, F, F, F, F, N, N, N, N, N, N]>({
    check: (_dq, _dk, _dv, _do, _q, _k, _v, _o, _l, _B, _T, NH, KVH) => void checkHeads(NH, KVH),
    cost: (_dq, _dk, _dv, _do, _q, _k, _v, _o, _l, B, T, NH, KVH, D) => ({ work: 2 * B * NH * T * (T + 1) * D, units: B * KVH }),
    part(p, P, dq, dk, dv, dout, q, k, v, out, lse, B, T, NH, KVH, D, wasm) {
      const [u0, u1] = splitRange(B * KVH, p, P);
      if (u0 < u1) attentionKernels(wasm).attentionBackwardRange(dq, dk, dv, dout, q, k, v, out, lse, T, NH, KVH, D, u0, u1);
    },
  }),
  /** By (row, head) pairs. */
  decodeAttention: kernel<[F, F, F, F, I, N, N, N, N, N, N]>({
    check: (_o, _q, _k, _v, len, B, NH, KVH, _D, maxT) => checkDecodeAttention(len, B, NH, KVH, maxT),
    cost(_o, _q, _k, _v, len, B, NH, _KVH, D) {
      let L = 0;
      for (let b = 0; b < B; b++) L += len[b];
      return { work: 2 * L * NH * D, units: B * NH };
    },
    part(p, P, out, q, kCache, vCache, len, B, NH, KVH, D, maxT, wasm) {
      const [u0, u1] = splitRange(B * NH, p, P);
      if (u0 < u1) (wasm === 1 ? wasmKv.decodeAttentionRange : decodeAttentionRange)(out, q, kCache, vCache, len, NH, KVH, D, maxT, u0, u1);
    },
  }),
  /** By rows (multiples of 4: each row's logits come out of the same matmul tile). */
  logprobForward: kernel<[F, F, F, F, F, I, N, N, N, N, N]>({
    check: (_lp, _l, _e, _h, _w, targets, N, _C, V) => checkTargets('logprobForward', targets, N, V),
    cost: (_lp, _l, _e, _h, _w, _t, N, C, V) => ({ work: N * (C + 4) * V, units: Math.ceil(N / 4) }),
    part(p, P, logp, lse, entropy, h, wlm, targets, N, C, V, temperature, wasm) {
      const [lo, hi] = splitRange(N, p, P, 4);
      if (lo < hi) {
        const rows = (t: F) => t.subarray(lo, hi);
        headKernels(wasm).logprobForward(rows(logp), rows(lse), rows(entropy), h.subarray(lo * C, hi * C), wlm, targets.subarray(lo, hi), hi - lo, C, V, temperature);
      }
    },
  }),
  /**
   * dh by rows (multiples of ROW_BLOCK), dwlm by vocabulary rows (multiples of 4); each part recomputes the
   * logits its two halves need, so the split costs about a third more work than the whole call.
   */
  logprobBackward: kernel<[F, F | null, F, F, F, I, F, N, N, N, N, N]>({
    check: (_dh, _dw, _dl, _h, _w, targets, _lse, N, _C, V) => checkTargets('logprobBackward', targets, N, V),
    cost: (_dh, _dw, _dl, _h, _w, _t, _lse, N, C, V) => ({
      work: N * (3 * C + 4) * V,
      units: Math.max(Math.ceil(N / ROW_BLOCK), Math.ceil(V / 4)),
    }),
    part(p, P, dh, dwlm, dlogp, h, wlm, targets, lse, N, C, V, temperature, wasm) {
      const { logprobBackwardRange } = headKernels(wasm);
      if (P === 1) {
        logprobBackwardRange(dh, dwlm, dlogp, h, wlm, targets, lse, C, temperature, 0, N, 0, V);
        return;
      }
      const [n0, n1] = splitRange(N, p, P, ROW_BLOCK);
      if (n0 < n1) logprobBackwardRange(dh, null, dlogp, h, wlm, targets, lse, C, temperature, n0, n1, 0, V);
      const [v0, v1] = splitRange(V, p, P, 4);
      if (v0 < v1 && dwlm !== null) logprobBackwardRange(null, dwlm, dlogp, h, wlm, targets, lse, C, temperature, 0, N, v0, v1);
    },
  }),
  /** By rows. */
  rmsnormForward: kernel<[F, F, F, F, N, N, N]>({
    check: none,
    cost: (_o, _r, _i, _w, N, C) => ({ work: 3 * N * C, units: N }),
    part(p, P, out, rstd, inp, weight, N, C, eps) {
      const [lo, hi] = splitRange(N, p, P);
      if (lo < hi) rmsnormForward(out.subarray(lo * C, hi * C), rstd.subarray(lo, hi), inp.subarray(lo * C, hi * C), weight, hi - lo, C, eps);
    },
  }),
  /** Elementwise. */
  swigluForward: kernel<[F, F, F, N, N, N]>({
    check: none,
    cost: (_o, _g, _u, N, Fd) => ({ work: 8 * N * Fd, units: Math.ceil((N * Fd) / 256) }),
    part(p, P, out, gate, up, N, Fd, wasm) {
      const [lo, hi] = splitRange(N * Fd, p, P, 256);
      if (lo < hi) swigluKernels(wasm).swigluForward(out.subarray(lo, hi), gate.subarray(lo, hi), up.subarray(lo, hi), 1, hi - lo);
    },
  }),
  /** Elementwise. */
  swigluBackward: kernel<[F, F, F, F, F, N, N, N]>({
    check: none,
    cost: (_dg, _du, _d, _g, _u, N, Fd) => ({ work: 10 * N * Fd, units: Math.ceil((N * Fd) / 256) }),
    part(p, P, dgate, dup, dout, gate, up, N, Fd, wasm) {
      const [lo, hi] = splitRange(N * Fd, p, P, 256);
      const s = (t: F) => t.subarray(lo, hi);
      if (lo < hi) swigluKernels(wasm).swigluBackward(s(dgate), s(dup), s(dout), s(gate), s(up), 1, hi - lo);
    },
  }),
  /** Elementwise over the parameters. */
  adamw: kernel<[F, F, F, F, N, N, N, N, N, N]>({
    check: (param, grad, m, v, _lr, _b1, _b2, _eps, _wd, t) => checkAdamw(param, grad, m, v, t),
    cost: (param) => ({ work: 12 * param.length, units: Math.ceil(param.length / 256) }),
    part(p, P, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, t) {
      const [lo, hi] = splitRange(param.length, p, P, 256);
      const s = (x: F) => x.subarray(lo, hi);
      if (lo < hi) adamw(s(param), s(grad), s(m), s(v), lr, beta1, beta2, eps, weightDecay, t);
    },
  }),
  /**
   * For tests of the pool's error path. A part run by a helper thread sets flag[0] = 1, then throws (or, with
   * `exit` = 1, ends its thread); a part run by the calling thread waits (up to 10 s) for that flag and returns,
   * so some part surely runs on a helper.
   */
  testFailure: kernel<[I, N]>({
    check: none,
    cost: () => ({ work: Infinity, units: Infinity }),
    part(_p, _P, flag, exit) {
      const helper = (globalThis as { cpuHelperThread?: number }).cpuHelperThread;
      if (helper === undefined) {
        Atomics.wait(flag, 0, 0, 10_000);
        return;
      }
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      if (exit === 1) (globalThis as { process?: { exit(code: number): void } }).process?.exit(1);
      throw new Error(`injected failure on CPU thread ${helper}`);
    },
  }),
};

export type SplitKernelName = keyof typeof SPLIT_KERNELS;

/** Kernel ids in the control block are indices into this list (the same module on both sides). */
export const SPLIT_KERNEL_NAMES = Object.keys(SPLIT_KERNELS) as SplitKernelName[];

/** Run part `part` of `parts` of a kernel from untyped arguments (the helper thread's side). */
export function runPart(name: SplitKernelName, part: number, parts: number, args: Arg[]): void {
  (SPLIT_KERNELS[name].part as (p: number, P: number, ...a: Arg[]) => void)(part, parts, ...args);
}
