// Elementwise helpers over whole tensors (residual adds, gradient accumulation and scaling, norms).
// Lengths are taken from the arrays; where two arrays meet they must have the same length.
import type { FloatArray } from '../floats.ts';

function sameLength(what: string, a: FloatArray, b: FloatArray): void {
  if (a.length !== b.length) throw new RangeError(`${what}: length mismatch (${a.length} vs ${b.length})`);
}

/** out = a + b (this loop also tolerates out aliasing a or b; the Backend contract does not promise it). */
export function add(out: FloatArray, a: FloatArray, b: FloatArray): void {
  sameLength('add', a, b);
  sameLength('add', out, a);
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

/** acc += x */
export function accumulate(acc: FloatArray, x: FloatArray): void {
  sameLength('accumulate', acc, x);
  for (let i = 0; i < acc.length; i++) acc[i] += x[i];
}

/** t = 0 */
export function zero(t: FloatArray): void {
  t.fill(0);
}

/** dst = src (same length). */
export function copy(dst: FloatArray, src: FloatArray): void {
  sameLength('copy', dst, src);
  dst.set(src);
}

/** x *= s */
export function scale(x: FloatArray, s: number): void {
  for (let i = 0; i < x.length; i++) x[i] *= s;
}

/** sum(x^2), accumulated in f64. */
export function sumSquares(x: FloatArray): number {
  let s0 = 0;
  let s1 = 0;
  const n2 = x.length - (x.length & 1);
  let i = 0;
  for (; i < n2; i += 2) {
    const a = x[i];
    const b = x[i + 1];
    s0 += a * a;
    s1 += b * b;
  }
  if (i < x.length) s0 += x[i] * x[i];
  return s0 + s1;
}
