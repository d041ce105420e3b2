// WebAssembly SIMD twins of ../swiglu.ts (same names and arguments): operands copied into this thread's wasm
// memory, padded with zeros to a multiple of 4, computed four at a time (assembly/swiglu.ts, exp4 in f32), copied
// back. The TypeScript kernels (f64 exp) stay the reference; swiglu.test.ts here compares the two.
import type { FloatArray } from '../../floats.ts';
import { padFloats, wasm } from './runtime.ts';

/** gate[N,F], up[N,F] -> out[N,F]. */
export function swigluForward(out: FloatArray, gate: FloatArray, up: FloatArray, N: number, Fdim: number): void {
  const n = N * Fdim;
  if (n === 0) return;
  const rt = wasm();
  const p = padFloats(n);
  const { mem, f, addr } = rt.reserve(3 * p);
  mem.set(gate.subarray(0, n), f);
  mem.fill(0, f + n, f + p);
  mem.set(up.subarray(0, n), f + p);
  mem.fill(0, f + p + n, f + 2 * p);
  rt.k.swigluForwardWasm(addr(2 * p), addr(0), addr(p), p);
  out.set(mem.subarray(f + 2 * p, f + 2 * p + n));
}

/** dout[N,F] -> dgate[N,F], dup[N,F] (overwrite). */
export function swigluBackward(dgate: FloatArray, dup: FloatArray, dout: FloatArray, gate: FloatArray, up: FloatArray, N: number, Fdim: number): void {
  const n = N * Fdim;
  if (n === 0) return;
  const rt = wasm();
  const p = padFloats(n);
  const { mem, f, addr } = rt.reserve(5 * p);
  mem.fill(0, f, f + 3 * p);
  mem.set(dout.subarray(0, n), f);
  mem.set(gate.subarray(0, n), f + p);
  mem.set(up.subarray(0, n), f + 2 * p);
  rt.k.swigluBackwardWasm(addr(3 * p), addr(4 * p), addr(0), addr(p), addr(2 * p), p);
  dgate.set(mem.subarray(f + 3 * p, f + 3 * p + n));
  dup.set(mem.subarray(f + 4 * p, f + 4 * p + n));
}
