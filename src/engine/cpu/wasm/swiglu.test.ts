// The wasm SwiGLU against its TypeScript twin (../swiglu.ts, f64 exp; gradient-checked in ../swiglu.test.ts),
// elementwise: exp4 is within a few f32 ulps of exp, and each result takes about 6 more f32 roundings, so every
// element must be within 32 ulps (32 x 2^-24 relative) of the f64 result, plus an absolute 1e-30 for results that
// underflow; except dgate = dy up s (1 + g (1 - s)), whose last factor cancels near g = -1.28 (silu' = 0): its
// rounding error is relative to dy up s (1 + |g|), so that is its scale. Lengths not a multiple of 4, and
// saturating gates (|g| of hundreds), included.
import { describe, expect, it } from 'vitest';
import * as ts from '../swiglu.ts';
import { Rng } from '../testing.ts';
import * as wa from './swiglu.ts';

const TOL = 32 * 2 ** -24;

/** Fail unless |actual - exact| <= TOL scale (scale: |exact| unless given), plus 1e-30. */
function expectUlps(what: string, actual: Float32Array, exact: Float64Array, scale?: Float64Array): void {
  for (let i = 0; i < exact.length; i++) {
    const err = Math.abs(actual[i] - exact[i]);
    const sc = scale ? scale[i] : Math.abs(exact[i]);
    if (!(err <= TOL * sc + 1e-30)) expect.fail(`${what}[${i}] = ${actual[i]}, exact ${exact[i]} (${(err / sc / 2 ** -24).toFixed(1)} ulps of ${sc})`);
  }
}

describe('wasm swiglu vs the TypeScript kernels', () => {
  for (const [N, F] of [[1, 1], [3, 7], [5, 64], [2, 333]]) {
    it(`forward and backward N=${N} F=${F}`, () => {
      const rng = new Rng(N * F, 12);
      const n = N * F;
      const gate = Float32Array.from({ length: n }, () => rng.normal() * 4);
      gate[0] = -300; // saturated: silu -> 0
      if (n > 1) gate[1] = 200;
      const up = Float32Array.from({ length: n }, () => rng.normal());
      const dout = Float32Array.from({ length: n }, () => rng.normal());
      const out = new Float32Array(n).fill(NaN);
      wa.swigluForward(out, gate, up, N, F);
      const ref = new Float64Array(n);
      ts.swigluForward(ref, new Float64Array(gate), new Float64Array(up), N, F);
      expectUlps('out', out, ref);
      const [dg, du] = [new Float32Array(n).fill(NaN), new Float32Array(n).fill(NaN)];
      wa.swigluBackward(dg, du, dout, gate, up, N, F);
      const [rg, ru] = [new Float64Array(n), new Float64Array(n)];
      ts.swigluBackward(rg, ru, new Float64Array(dout), new Float64Array(gate), new Float64Array(up), N, F);
      const dgScale = Float64Array.from(gate, (g, i) => Math.abs((dout[i] * up[i]) / (1 + Math.exp(-g))) * (1 + Math.abs(g)));
      expectUlps('dgate', dg, rg, dgScale);
      expectUlps('dup', du, ru);
      // a split at an odd offset (threads cut at multiples of 256, but any cut must keep the bits)
      const cut = Math.floor(n / 3) | 1;
      if (cut < n) {
        const parts = new Float32Array(n);
        wa.swigluForward(parts.subarray(0, cut), gate.subarray(0, cut), up.subarray(0, cut), 1, cut);
        wa.swigluForward(parts.subarray(cut), gate.subarray(cut), up.subarray(cut), 1, n - cut);
        expect(parts).toEqual(out);
      }
    });
  }
});
