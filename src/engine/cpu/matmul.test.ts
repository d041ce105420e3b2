import { describe, it } from 'vitest';
import { matmulBackward, matmulForward } from './matmul.ts';
import { dotSum, expectClose, expectDoubled, gradCheck, randn, Rng } from './testing.ts';

function naiveMatmul(inp: Float64Array, w: Float64Array, bias: Float64Array | null, N: number, C: number, OC: number): Float64Array {
  const out = new Float64Array(N * OC);
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < OC; o++) {
      let s = bias ? bias[o] : 0;
      for (let c = 0; c < C; c++) s += inp[n * C + c] * w[o * C + c];
      out[n * OC + o] = s;
    }
  }
  return out;
}

describe('matmul', () => {
  // N and OC not multiples of the 4x4 tile, so the edge loops run too
  for (const [N, C, OC] of [
    [9, 13, 10],
    [4, 8, 4],
    [2, 3, 1],
  ]) {
    it(`forward matches a naive loop (N=${N}, C=${C}, OC=${OC}), with and without bias`, () => {
      const rng = new Rng(N, 4);
      const inp = randn(rng, N * C);
      const w = randn(rng, OC * C);
      const bias = randn(rng, OC);
      const out = new Float64Array(N * OC);
      matmulForward(out, inp, w, null, N, C, OC);
      expectClose('no bias', out, naiveMatmul(inp, w, null, N, C, OC), 1e-13);
      matmulForward(out, inp, w, bias, N, C, OC);
      expectClose('bias', out, naiveMatmul(inp, w, bias, N, C, OC), 1e-13);
    });
  }

  for (const withBias of [false, true]) {
    it(`gradient check of dinp, dweight${withBias ? ', dbias' : ''}, and backward adds`, () => {
      const N = 6;
      const C = 5;
      const OC = 7;
      const rng = new Rng(withBias ? 1 : 2, 4);
      const inp = randn(rng, N * C);
      const w = randn(rng, OC * C);
      const bias = withBias ? randn(rng, OC) : null;
      const R = randn(rng, N * OC);
      R.fill(0, 2 * OC, 3 * OC); // an all-zero row of dout (a masked token) is skipped and must stay correct
      R[0] = 0; // single zeros inside a 4-channel block must not make the block be skipped
      R[4 * OC + 5] = 0;
      const out = new Float64Array(N * OC);
      const loss = () => {
        matmulForward(out, inp, w, bias, N, C, OC);
        return dotSum(out, R);
      };
      const dinp = new Float64Array(N * C);
      const dw = new Float64Array(OC * C);
      const db = withBias ? new Float64Array(OC) : null;
      matmulBackward(dinp, dw, db, R, inp, w, N, C, OC);
      gradCheck('dinp', loss, inp, dinp);
      gradCheck('dweight', loss, w, dw);
      if (bias && db) gradCheck('dbias', loss, bias, db);
      const once = [dinp.slice(), dw.slice(), db?.slice()];
      matmulBackward(dinp, dw, db, R, inp, w, N, C, OC);
      expectDoubled('dinp', once[0]!, dinp);
      expectDoubled('dweight', once[1]!, dw);
      if (db) expectDoubled('dbias', once[2]!, db);
    });
  }

  it('backward with dinp = null still computes dweight', () => {
    const N = 5;
    const C = 4;
    const OC = 6;
    const rng = new Rng(3, 4);
    const inp = randn(rng, N * C);
    const w = randn(rng, OC * C);
    const R = randn(rng, N * OC);
    const dwRef = new Float64Array(OC * C);
    matmulBackward(new Float64Array(N * C), dwRef, null, R, inp, w, N, C, OC);
    const dw = new Float64Array(OC * C);
    matmulBackward(null, dw, null, R, inp, w, N, C, OC);
    expectClose('dweight', dw, dwRef, 0);
  });

  it('runs in f32 close to the f64 result', () => {
    const N = 8;
    const C = 32;
    const OC = 12;
    const rng = new Rng(4, 4);
    const inp = randn(rng, N * C);
    const w = randn(rng, OC * C);
    const out32 = new Float32Array(N * OC);
    matmulForward(out32, new Float32Array(inp), new Float32Array(w), null, N, C, OC);
    expectClose('f32 vs f64', out32, naiveMatmul(new Float64Array(new Float32Array(inp)), new Float64Array(new Float32Array(w)), null, N, C, OC), 1e-6);
  });
});
