// Test helpers for the CPU kernels (imported by *.test.ts only): seeded random tensors, comparisons that fail
// with the max abs/rel difference, and a central-difference gradient check run in f64.
import { Rng } from '../rng.ts';

/** Seeded standard-normal values (times `scale`) in f64. */
export function randn(rng: Rng, n: number, scale = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale;
  return out;
}

/** Seeded integers in [0, max). */
export function randInts(rng: Rng, n: number, max: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(max);
  return out;
}

/** max |a - b| and that divided by max |b| (a normwise relative difference). */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { abs: number; rel: number } {
  if (a.length !== b.length) throw new Error(`length mismatch: ${a.length} vs ${b.length}`);
  let abs = 0;
  let ref = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= abs)) abs = d; // NaN propagates as a failure
    ref = Math.max(ref, Math.abs(b[i]));
  }
  return { abs, rel: abs / Math.max(ref, 1e-30) };
}

/** Throw unless `actual` matches `expected` within `tol` (relative to max |expected|, or absolute below 1). */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  const { abs, rel } = maxDiff(actual, expected);
  let ref = 0;
  for (let i = 0; i < expected.length; i++) ref = Math.max(ref, Math.abs(expected[i]));
  const err = abs / Math.max(ref, 1);
  if (!(err <= tol)) {
    throw new Error(`${what}: max abs diff ${abs.toExponential(3)}, max rel diff ${rel.toExponential(3)} (tol ${tol})`);
  }
}

/** sum(out * R): the scalar loss whose gradient w.r.t. out is R. */
export function dotSum(out: ArrayLike<number>, R: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i] * R[i];
  return s;
}

/**
 * Compare an analytic gradient of loss() w.r.t. x against central differences (h = 1e-5) on every element,
 * normwise: max |analytic - numeric| / max |numeric| must be below tol. Also fails if the gradient is all zero.
 */
export function gradCheck(what: string, loss: () => number, x: Float64Array, analytic: ArrayLike<number>, tol = 1e-6): void {
  const h = 1e-5;
  const numeric = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + h;
    const lp = loss();
    x[i] = x0 - h;
    const lm = loss();
    x[i] = x0;
    numeric[i] = (lp - lm) / (2 * h);
  }
  const { abs, rel } = maxDiff(analytic, numeric);
  if (!(rel <= tol) || maxDiff(numeric, new Float64Array(x.length)).abs === 0) {
    throw new Error(`gradient check ${what}: max abs diff ${abs.toExponential(3)}, rel ${rel.toExponential(3)} (tol ${tol})`);
  }
}

/** Throw unless b == 2 * a within tol (backward kernels add: running them twice doubles the gradient). */
export function expectDoubled(what: string, once: ArrayLike<number>, twice: ArrayLike<number>, tol = 1e-12): void {
  const doubled = Array.from(once, (x) => 2 * x);
  expectClose(`${what} (backward must add)`, twice, doubled, tol);
}

export { Rng };
