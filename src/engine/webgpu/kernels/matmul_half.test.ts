// Half-precision frozen weights and the matvec (decode) kernel vs the CPU matmul (f64 on the same inputs).
// Two tolerances:
//  - against the CPU on the weights as the GPU holds them (rounded to bf16/f16 and back): 1e-5 normwise, the f32
//    accumulation argument of matmul.test.ts; any unpacking or indexing error shows at 1e-2 or more;
//  - against the unrounded f32 weights: each weight carries a relative rounding error of at most u (2^-8 bf16,
//    2^-11 f16), so |y_half - y| <= u * sum_c |x_c w_c| elementwise; the test asserts that bound (computed from
//    the data, plus the f32 slack) holds everywhere, and that the error is not zero (the rounding really happened).
import { describe, expect, it } from 'vitest';
import { matmulForward } from '../../cpu/matmul.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { HALF_FORMATS, HALF_UNIT_ROUNDOFF, packHalves, unpackHalves, type HalfFormat } from '../../half.ts';
import { testBackend } from '../testing.ts';
import { matmulBackwardInputHalf, matmulForwardHalf, uploadHalfWeight } from './matmul_half.ts';
import { MATVEC_ROUTING } from './matvec.ts';
import { freeAll, gpuFloats } from './test-helpers.ts';

const TOL = 1e-5;

/** dinp[N,C] = dout[N,OC] @ w[OC,C] in f64 (the input-gradient formula). */
function nnProduct(dout: Float64Array, w: Float64Array, N: number, C: number, OC: number): Float64Array {
  const out = new Float64Array(N * C);
  for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) for (let c = 0; c < C; c++) out[n * C + c] += dout[n * OC + o] * w[o * C + c];
  return out;
}

/** Elementwise bound u * sum_c |x_nc w_oc| for out[N,OC] = x @ w^T. */
function roundingBound(x: Float64Array, w: Float64Array, N: number, C: number, OC: number, u: number): Float64Array {
  const b = new Float64Array(N * OC);
  for (let n = 0; n < N; n++) for (let o = 0; o < OC; o++) {
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.abs(x[n * C + c] * w[o * C + c]);
    b[n * OC + o] = u * s;
  }
  return b;
}

describe('webgpu half-precision weights and matvec', async () => {
  const be = await testBackend();
  const rand = (rng: Rng, n: number) => Float32Array.from(randn(rng, n));
  const f64 = (a: ArrayLike<number>) => Float64Array.from(a);

  // [N, C, OC]: one row (decode), row blocks of the matvec (N = 3, 8, 9: a second block), the tiled path (N = 70),
  // C odd (element loads) and OC not a multiple of the 4 channels per workgroup.
  const shapes = [
    [1, 64, 36],
    [3, 13, 10],
    [8, 40, 66],
    [9, 36, 7],
    [70, 68, 72],
  ];

  for (const format of HALF_FORMATS) {
    for (const [N, C, OC] of shapes) {
      it.skipIf(!be)(`${format} forward and input gradient N=${N} C=${C} OC=${OC}`, async () => {
        const rng = new Rng(N * 100 + C, OC + (format === 'bf16' ? 1 : 2));
        const inp = rand(rng, N * C);
        const w = rand(rng, OC * C);
        const bias = rand(rng, OC);
        const dout = rand(rng, N * OC);
        const dinp0 = rand(rng, N * C);
        const held = unpackHalves(packHalves(w, format), w.length, format); // what the GPU computes with
        const hw = uploadHalfWeight(be!.ctx, w, format);
        const [gInp, gBias, gDout, gDinp] = [inp, bias, dout, dinp0].map((x) => gpuFloats(be!, x));
        const gOut = gpuFloats(be!, new Float32Array(N * OC).fill(5)); // forward must overwrite

        matmulForwardHalf(be!.ctx, gOut, gInp, hw, gBias, N, C, OC);
        const got = f64(await be!.readFloat(gOut));
        const want = new Float64Array(N * OC);
        matmulForward(want, f64(inp), f64(held), f64(bias), N, C, OC);
        expectClose('forward vs CPU on the held weights', got, want, TOL);

        // against the f32 weights: within the rounding bound everywhere, and the rounding is visible
        const exact = new Float64Array(N * OC);
        matmulForward(exact, f64(inp), f64(w), f64(bias), N, C, OC);
        const bound = roundingBound(f64(inp), f64(w), N, C, OC, HALF_UNIT_ROUNDOFF[format]);
        let maxErr = 0;
        for (let i = 0; i < exact.length; i++) {
          const err = Math.abs(got[i] - exact[i]);
          maxErr = Math.max(maxErr, err);
          if (!(err <= bound[i] * 1.01 + TOL * Math.max(1, Math.abs(exact[i])))) {
            throw new Error(`${format} element ${i}: error ${err} exceeds the rounding bound ${bound[i]}`);
          }
        }
        expect(maxErr).toBeGreaterThan(0);

        matmulBackwardInputHalf(be!.ctx, gDinp, gDout, hw, N, C, OC);
        const wantDinp = nnProduct(f64(dout), f64(held), N, C, OC).map((x, i) => x + dinp0[i]);
        expectClose('input gradient (adds)', await be!.readFloat(gDinp), wantDinp, TOL);
        freeAll(be!, gInp, gBias, gDout, gDinp, gOut, hw.words);
      });
    }
  }

  it.skipIf(!be)('half weights take half the bytes (once the upload staging is released)', async () => {
    const w = new Float32Array(64 * 64);
    await be!.sync();
    const before = be!.ctx.pool.bytesInUse;
    const hw = uploadHalfWeight(be!.ctx, w, 'bf16');
    await be!.sync();
    expect(be!.ctx.pool.bytesInUse - before).toBe(64 * 64 * 2);
    be!.free(hw.words);
  });

  it.skipIf(!be)('f16 weights out of range fail with one clear message', () => {
    expect(() => uploadHalfWeight(be!.ctx, Float32Array.from([1, 1e6]), 'f16' as HalfFormat, 'lm_head.weight')).toThrow(/lm_head\.weight.*beyond f16/);
  });

  // The f32 matvec route of matmulForward (N <= maxRows) against the tiled path and the CPU.
  for (const [N, C, OC] of [
    [1, 6, 5],
    [2, 64, 130],
    [5, 33, 17],
    [8, 128, 64],
  ]) {
    it.skipIf(!be)(`f32 matvec N=${N} C=${C} OC=${OC} equals the CPU and the tiled path`, async () => {
      const rng = new Rng(N, C + OC);
      const inp = rand(rng, N * C);
      const w = rand(rng, OC * C);
      const bias = rand(rng, OC);
      const [gInp, gW, gBias] = [inp, w, bias].map((x) => gpuFloats(be!, x));
      const gOut = be!.allocFloat(N * OC);
      const want = new Float64Array(N * OC);
      matmulForward(want, f64(inp), f64(w), f64(bias), N, C, OC);
      const saved = MATVEC_ROUTING.maxRows;
      try {
        MATVEC_ROUTING.maxRows = 8;
        be!.matmulForward(gOut, gInp, gW, gBias, N, C, OC);
        const matvec = await be!.readFloat(gOut);
        MATVEC_ROUTING.maxRows = 0;
        be!.matmulForward(gOut, gInp, gW, gBias, N, C, OC);
        const tiled = await be!.readFloat(gOut);
        expectClose('matvec vs CPU', matvec, want, TOL);
        expectClose('tiled vs CPU', tiled, want, TOL);
      } finally {
        MATVEC_ROUTING.maxRows = saved;
      }
      freeAll(be!, gInp, gW, gBias, gOut);
    });
  }
});
