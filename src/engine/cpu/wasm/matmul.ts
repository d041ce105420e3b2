// WebAssembly SIMD twins of ../matmul.ts's kernels, same names and arguments (the plain TypeScript ones stay the
// reference: matmul.test.ts here checks these against them). Each copies its operands into this thread's wasm
// memory (runtime.ts), runs one GEMM (assembly/gemm.ts) and copies the result out:
//   forward  out[N,OC] = inp[N,C] weight[OC,C]^T (+ bias)      A = inp,    B = weight (stored transposed)
//   dinp     dinp[R,C] += dout[R,OC] weight[OC,C]               A = dout,   B = weight
//   dweight  dweight[OC,C] += dout[R,OC]^T inp[R,C]             A = dout (stored transposed), B = inp
// over the R non-zero rows of dout. Sums run in f32 (the TypeScript kernels sum in f64), each output element
// in the same order whatever the range it is computed in, so any thread split gives the same bits.
import type { FloatArray } from '../../floats.ts';
import { nonZeroRows } from '../matmul.ts';
import { padFloats, wasm } from './runtime.ts';

const TRANS_A = 1;
const TRANS_B = 2;
const ACCUMULATE = 4;

/** inp[N,C], weight[OC,C], bias[OC] or null -> out[N,OC] (overwrites). */
export function matmulForward(out: FloatArray, inp: FloatArray, weight: FloatArray, bias: FloatArray | null, N: number, C: number, OC: number): void {
  matmulForwardRange(out, inp, weight, bias, N, C, OC, 0, OC);
}

/** matmulForward for the output channels [o0, o1) only. */
export function matmulForwardRange(
  out: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  bias: FloatArray | null,
  N: number,
  C: number,
  OC: number,
  o0: number,
  o1: number,
): void {
  const n = o1 - o0;
  if (N === 0 || n <= 0) return;
  const rt = wasm();
  const x = 0;
  const w = x + padFloats(N * C);
  const z = w + padFloats(n * C);
  const y = z + padFloats(bias ? n : 0);
  const s = y + padFloats(N * n);
  const { mem, f, addr } = rt.reserve(s + rt.k.gemmScratchFloats(n, C));
  mem.set(inp.subarray(0, N * C), f + x);
  mem.set(weight.subarray(o0 * C, o1 * C), f + w);
  if (bias) mem.set(bias.subarray(o0, o1), f + z);
  rt.k.gemm(N, n, C, addr(x), addr(w), addr(y), n, bias ? addr(z) : 0, TRANS_B, addr(s));
  if (n === OC) out.set(mem.subarray(f + y, f + y + N * OC));
  else for (let r = 0; r < N; r++) out.set(mem.subarray(f + y + r * n, f + y + (r + 1) * n), r * OC + o0);
}

/** dinp, dweight, dbias as ../matmul.ts's matmulBackward (adds into each; null ones are skipped). */
export function matmulBackward(
  dinp: FloatArray | null,
  dweight: FloatArray | null,
  dbias: FloatArray | null,
  dout: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  N: number,
  C: number,
  OC: number,
): void {
  const rows = nonZeroRows(dout, N, OC);
  if (dinp !== null) matmulBackwardInputRange(dinp, dout, weight, rows, C, OC, 0, rows.length);
  if (dweight !== null) matmulBackwardWeightRange(dweight, dbias, dout, inp, rows, C, OC, 0, OC);
}

/** Copy rows rows[r0..r1) of src (each `width` floats at row stride `stride`, from column `col`) to mem[at..]. */
function gather(mem: Float32Array, at: number, src: FloatArray, rows: Int32Array, r0: number, r1: number, stride: number, col: number, width: number): void {
  if (width === stride && r1 > r0 && rows[r1 - 1] - rows[r0] === r1 - 1 - r0) {
    mem.set(src.subarray(rows[r0] * stride, (rows[r1 - 1] + 1) * stride), at); // consecutive rows: one copy
    return;
  }
  for (let r = r0; r < r1; r++) {
    const p = rows[r] * stride + col;
    mem.set(src.subarray(p, p + width), at + (r - r0) * width);
  }
}

/** dinp[n,:] += sum_o dout[n,o] weight[o,:] for the non-zero rows rows[r0..r1). */
export function matmulBackwardInputRange(
  dinp: FloatArray,
  dout: FloatArray,
  weight: FloatArray,
  rows: Int32Array,
  C: number,
  OC: number,
  r0: number,
  r1: number,
): void {
  const R = r1 - r0;
  if (R <= 0) return;
  const rt = wasm();
  const d = 0;
  const w = d + padFloats(R * OC);
  const y = w + padFloats(OC * C);
  const s = y + padFloats(R * C);
  const { mem, f, addr } = rt.reserve(s + rt.k.gemmScratchFloats(C, OC));
  gather(mem, f + d, dout, rows, r0, r1, OC, 0, OC);
  mem.set(weight.subarray(0, OC * C), f + w);
  gather(mem, f + y, dinp, rows, r0, r1, C, 0, C);
  rt.k.gemm(R, C, OC, addr(d), addr(w), addr(y), C, 0, ACCUMULATE, addr(s));
  for (let r = r0; r < r1; r++) {
    const p = f + y + (r - r0) * C;
    dinp.set(mem.subarray(p, p + C), rows[r] * C);
  }
}

/** dweight[o,:] += sum_n dout[n,o] inp[n,:] and dbias[o] += sum_n dout[n,o] over the non-zero rows, o in [o0, o1). */
export function matmulBackwardWeightRange(
  dweight: FloatArray,
  dbias: FloatArray | null,
  dout: FloatArray,
  inp: FloatArray,
  rows: Int32Array,
  C: number,
  OC: number,
  o0: number,
  o1: number,
): void {
  const R = rows.length;
  const n = o1 - o0;
  if (R === 0 || n <= 0) return;
  if (dbias !== null) {
    for (let o = o0; o < o1; o++) {
      let sum = 0;
      for (let r = 0; r < R; r++) sum += dout[rows[r] * OC + o];
      dbias[o] += sum;
    }
  }
  const rt = wasm();
  const d = 0;
  const x = d + padFloats(R * n);
  const y = x + padFloats(R * C);
  const s = y + padFloats(n * C);
  const { mem, f, addr } = rt.reserve(s + rt.k.gemmScratchFloats(C, R));
  gather(mem, f + d, dout, rows, 0, R, OC, o0, n);
  gather(mem, f + x, inp, rows, 0, R, C, 0, C);
  mem.set(dweight.subarray(o0 * C, o1 * C), f + y);
  rt.k.gemm(n, C, R, addr(d), addr(x), addr(y), C, 0, TRANS_A | ACCUMULATE, addr(s));
  dweight.set(mem.subarray(f + y, f + y + n * C), o0 * C);
}
