import { describe, it } from 'vitest';
import { rmsnormBackward, rmsnormForward } from './rmsnorm.ts';
import { dotSum, expectClose, expectDoubled, gradCheck, randn, Rng } from './testing.ts';

describe('rmsnorm', () => {
  const N = 3;
  const C = 7;
  const eps = 1e-5;

  it('forward matches x / sqrt(mean(x^2) + eps) * w and saves rstd', () => {
    const rng = new Rng(1, 2);
    const inp = randn(rng, N * C);
    const w = randn(rng, C);
    const out = new Float64Array(N * C);
    const rstd = new Float64Array(N);
    rmsnormForward(out, rstd, inp, w, N, C, eps);
    const ref = new Float64Array(N * C);
    const refRstd = new Float64Array(N);
    for (let n = 0; n < N; n++) {
      let ms = 0;
      for (let c = 0; c < C; c++) ms += inp[n * C + c] ** 2 / C;
      refRstd[n] = 1 / Math.sqrt(ms + eps);
      for (let c = 0; c < C; c++) ref[n * C + c] = inp[n * C + c] * refRstd[n] * w[c];
    }
    expectClose('out', out, ref, 1e-14);
    expectClose('rstd', rstd, refRstd, 1e-14);
  });

  it('gradient check of dinp and dweight, and backward adds', () => {
    const rng = new Rng(2, 2);
    const inp = randn(rng, N * C);
    const w = randn(rng, C);
    const R = randn(rng, N * C);
    const out = new Float64Array(N * C);
    const rstd = new Float64Array(N);
    const loss = () => {
      rmsnormForward(out, rstd, inp, w, N, C, eps);
      return dotSum(out, R);
    };
    loss();
    const dinp = new Float64Array(N * C);
    const dw = new Float64Array(C);
    rmsnormBackward(dinp, dw, R, inp, w, rstd, N, C);
    const once = [dinp.slice(), dw.slice()];
    rmsnormBackward(dinp, dw, R, inp, w, rstd, N, C);
    expectDoubled('dinp', once[0], dinp);
    expectDoubled('dweight', once[1], dw);
    gradCheck('dinp', loss, inp, once[0]);
    gradCheck('dweight', loss, w, once[1]);
  });
});
