// LoRA kernels: forward against the formula written out with the plain matmul (W x + s B A x), every gradient
// against central differences in f64, backward adds, and merging equals the adapted forward.
import { describe, expect, it } from 'vitest';
import { loraBackward, loraForward, loraMerge } from './lora.ts';
import { matmulForward } from './matmul.ts';
import { dotSum, expectClose, expectDoubled, gradCheck, randn, Rng } from './testing.ts';

/** Bt[r,OC] -> B[OC,r] (PEFT's lora_B.weight layout). */
function transpose(Bt: Float64Array, r: number, OC: number): Float64Array {
  const B = new Float64Array(OC * r);
  for (let j = 0; j < r; j++) for (let o = 0; o < OC; o++) B[o * r + j] = Bt[j * OC + o];
  return B;
}

describe('lora', () => {
  // r = 1 and r not dividing anything; C and OC odd.
  for (const [N, C, OC, r] of [
    [5, 7, 9, 3],
    [1, 4, 6, 1],
    [6, 12, 5, 8],
  ]) {
    it(`forward adds scale * B(A x) onto out (N=${N} C=${C} OC=${OC} r=${r})`, () => {
      const rng = new Rng(N + C, OC + r);
      const inp = randn(rng, N * C);
      const A = randn(rng, r * C);
      const Bt = randn(rng, r * OC);
      const base = randn(rng, N * OC);
      const scale = 16 / r;
      // expected: base + scale * (inp A^T) B^T, with B = Bt^T, through the plain matmul
      const v = new Float64Array(N * r);
      matmulForward(v, inp, A, null, N, C, r);
      const vb = new Float64Array(N * OC);
      matmulForward(vb, v, transpose(Bt, r, OC), null, N, r, OC);
      const want = base.map((b, i) => b + scale * vb[i]);
      const out = base.slice();
      const u = new Float64Array(N * r).fill(7); // overwritten
      loraForward(out, u, inp, A, Bt, N, C, OC, r, scale);
      expectClose('out', out, want, 1e-13);
      expectClose('u', u, v.map((x) => scale * x), 1e-13);
    });
  }

  it('gradient check of dinp, dA, dBt; backward adds', () => {
    const [N, C, OC, r] = [6, 5, 7, 3];
    const scale = 2.5;
    const rng = new Rng(11, 12);
    const inp = randn(rng, N * C);
    const A = randn(rng, r * C);
    const Bt = randn(rng, r * OC);
    const R = randn(rng, N * OC);
    R.fill(0, OC, 2 * OC); // a masked row
    const out = new Float64Array(N * OC);
    const u = new Float64Array(N * r);
    const loss = () => {
      out.fill(0);
      loraForward(out, u, inp, A, Bt, N, C, OC, r, scale);
      return dotSum(out, R);
    };
    loss();
    const dinp = new Float64Array(N * C);
    const dA = new Float64Array(r * C);
    const dBt = new Float64Array(r * OC);
    const du = new Float64Array(N * r);
    loraBackward(dinp, dA, dBt, du, R, inp, u, A, Bt, N, C, OC, r, scale);
    gradCheck('dinp', loss, inp, dinp);
    gradCheck('dA', loss, A, dA);
    gradCheck('dBt', loss, Bt, dBt);
    loss();
    const once = [dinp.slice(), dA.slice(), dBt.slice()];
    loraBackward(dinp, dA, dBt, du, R, inp, u, A, Bt, N, C, OC, r, scale);
    expectDoubled('dinp', once[0], dinp);
    expectDoubled('dA', once[1], dA);
    expectDoubled('dBt', once[2], dBt);
    // dinp = null skips the input gradient, the adapter gradients are unchanged
    const dA2 = new Float64Array(r * C);
    const dBt2 = new Float64Array(r * OC);
    loraBackward(null, dA2, dBt2, du, R, inp, u, A, Bt, N, C, OC, r, scale);
    expectClose('dA (dinp null)', dA2, once[1], 0);
    expectClose('dBt (dinp null)', dBt2, once[2], 0);
  });

  it('with B = 0 (the initialisation) the layer is the base layer and only B gets a gradient', () => {
    const [N, C, OC, r] = [4, 6, 5, 2];
    const rng = new Rng(3, 3);
    const inp = randn(rng, N * C);
    const A = randn(rng, r * C);
    const Bt = new Float64Array(r * OC);
    const base = randn(rng, N * OC);
    const out = base.slice();
    const u = new Float64Array(N * r);
    loraForward(out, u, inp, A, Bt, N, C, OC, r, 4);
    expect(Array.from(out)).toEqual(Array.from(base));
    const dA = new Float64Array(r * C);
    const dBt = new Float64Array(r * OC);
    const dinp = new Float64Array(N * C);
    loraBackward(dinp, dA, dBt, new Float64Array(N * r), randn(rng, N * OC), inp, u, A, Bt, N, C, OC, r, 4);
    expect(dA.every((x) => x === 0) && dinp.every((x) => x === 0)).toBe(true);
    expect(dBt.some((x) => x !== 0)).toBe(true);
  });

  it('merging B A into W gives the adapted forward', () => {
    const [N, C, OC, r] = [5, 8, 6, 4];
    const scale = 0.75;
    const rng = new Rng(5, 6);
    const inp = randn(rng, N * C);
    const W = randn(rng, OC * C);
    const A = randn(rng, r * C);
    const Bt = randn(rng, r * OC);
    const adapted = new Float64Array(N * OC);
    matmulForward(adapted, inp, W, null, N, C, OC);
    loraForward(adapted, new Float64Array(N * r), inp, A, Bt, N, C, OC, r, scale);
    const merged = W.slice();
    loraMerge(merged, A, Bt, C, OC, r, scale);
    const out = new Float64Array(N * OC);
    matmulForward(out, inp, merged, null, N, C, OC);
    expectClose('merged vs adapted', out, adapted, 1e-13);
  });
});
