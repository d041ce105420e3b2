// The wasm matmul kernels against their TypeScript twins (../matmul.ts, themselves checked against a naive loop
// and finite differences). The twin runs in f64 on the same f32 inputs, so it is exact to ~1e-16; the wasm
// kernel sums K products in f32, whose rounding error is at most about (K + 2) u sum_k |a_k b_k| (u = 2^-24,
// one rounding per product, per add and for a final bias or accumulate add), so that bound per element,
// computed from the same kernels on absolute values, is the tolerance. A wrong index is off by O(|a b|), far
// above it. Ranges and thread-style splits must give the very same bits as the whole call.
import { describe, expect, it } from 'vitest';
import * as ts from '../matmul.ts';
import { Rng } from '../testing.ts';
import * as wa from './matmul.ts';

const U = 2 ** -24;

function randf(rng: Rng, n: number, zeroRows?: { every: number; width: number }): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  if (zeroRows) for (let r = 0; r * zeroRows.width < n; r += zeroRows.every) out.fill(0, r * zeroRows.width, (r + 1) * zeroRows.width);
  return out;
}
const f64 = (a: Float32Array) => new Float64Array(a);
const abs64 = (a: Float32Array) => Float64Array.from(a, Math.abs);

/** Fail with the worst element unless |actual - exact| <= (K + 2) u bound elementwise. */
function expectWithin(what: string, actual: Float32Array, exact: Float64Array, bound: Float64Array, K: number): void {
  let worst = -1;
  let ratio = 0;
  for (let i = 0; i < actual.length; i++) {
    const tol = (K + 2) * U * bound[i] + 1e-30;
    const r = Math.abs(actual[i] - exact[i]) / tol;
    if (!(r <= ratio)) {
      ratio = r;
      worst = i;
    }
  }
  if (!(ratio <= 1)) {
    throw new Error(`${what}: element ${worst} is ${actual[worst]}, exact ${exact[worst]}: ${ratio.toFixed(2)}x the f32 rounding bound`);
  }
}

// odd sizes, one row, one column, sizes around the 4x8 register tile and past the 64-row block
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 3],
  [2, 3, 9],
  [5, 13, 10],
  [4, 8, 8],
  [9, 17, 33],
  [67, 33, 19],
  [130, 40, 70],
];

describe('wasm matmul vs the TypeScript kernels', () => {
  for (const [N, C, OC] of SHAPES) {
    for (const withBias of [false, true]) {
      it(`forward N=${N} C=${C} OC=${OC}${withBias ? ' with bias' : ''}`, () => {
        const rng = new Rng(N * 1000 + C * 10 + OC, 7);
        const inp = randf(rng, N * C);
        const w = randf(rng, OC * C);
        const bias = withBias ? randf(rng, OC) : null;
        const out = new Float32Array(N * OC).fill(NaN); // forward overwrites every element
        wa.matmulForward(out, inp, w, bias, N, C, OC);
        const exact = new Float64Array(N * OC);
        ts.matmulForward(exact, f64(inp), f64(w), bias && f64(bias), N, C, OC);
        const bound = new Float64Array(N * OC);
        ts.matmulForward(bound, abs64(inp), abs64(w), bias && abs64(bias), N, C, OC);
        expectWithin('forward', out, exact, bound, C);
        // output-channel ranges (how threads split decode's few rows) give the same bits
        const parts = new Float32Array(N * OC);
        const cuts = [0, Math.min(OC, 4), Math.min(OC, 12), OC];
        for (let i = 0; i < 3; i++) if (cuts[i] < cuts[i + 1]) wa.matmulForwardRange(parts, inp, w, bias, N, C, OC, cuts[i], cuts[i + 1]);
        expect(parts).toEqual(out);
      });
    }

    it(`backward N=${N} C=${C} OC=${OC}, with all-zero rows of dout, adding into non-zero gradients`, () => {
      const rng = new Rng(N * 1000 + C * 10 + OC, 8);
      const inp = randf(rng, N * C);
      const w = randf(rng, OC * C);
      const dout = randf(rng, N * OC, { every: 3, width: OC }); // rows 0, 3, 6, ... are masked out
      const dinp0 = randf(rng, N * C);
      const dw0 = randf(rng, OC * C);
      const db0 = randf(rng, OC);
      const [dinp, dw, db] = [dinp0.slice(), dw0.slice(), db0.slice()];
      wa.matmulBackward(dinp, dw, db, dout, inp, w, N, C, OC);
      const [xi, xw, xb] = [f64(dinp0), f64(dw0), f64(db0)];
      ts.matmulBackward(xi, xw, xb, f64(dout), f64(inp), f64(w), N, C, OC);
      const [bi, bw, bb] = [abs64(dinp0), abs64(dw0), abs64(db0)];
      ts.matmulBackward(bi, bw, bb, abs64(dout), abs64(inp), abs64(w), N, C, OC);
      expectWithin('dinp', dinp, xi, bi, OC);
      expectWithin('dweight', dw, xw, bw, N);
      expectWithin('dbias', db, xb, bb, N);
      // split as the threads split it (parallel.ts): rows in multiples of 4, weight rows in multiples of 4
      const rows = ts.nonZeroRows(dout, N, OC);
      const [pi, pw] = [dinp0.slice(), dw0.slice()];
      for (const [r0, r1] of [[0, Math.min(4, rows.length)], [Math.min(4, rows.length), rows.length]]) wa.matmulBackwardInputRange(pi, dout, w, rows, C, OC, r0, r1);
      for (const [o0, o1] of [[0, Math.min(8, OC)], [Math.min(8, OC), OC]]) wa.matmulBackwardWeightRange(pw, null, dout, inp, rows, C, OC, o0, o1);
      expect(pi).toEqual(dinp);
      expect(pw).toEqual(dw);
    });
  }

  it('an all-zero dout leaves the gradients as they were', () => {
    const [N, C, OC] = [6, 5, 7];
    const rng = new Rng(1, 9);
    const dinp = randf(rng, N * C);
    const dw = randf(rng, OC * C);
    const [i0, w0] = [dinp.slice(), dw.slice()];
    wa.matmulBackward(dinp, dw, null, new Float32Array(N * OC), randf(rng, N * C), randf(rng, OC * C), N, C, OC);
    expect(dinp).toEqual(i0);
    expect(dw).toEqual(w0);
  });
});
