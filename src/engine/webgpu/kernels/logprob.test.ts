// The log-prob kernels on the GPU vs the CPU twin (f64 on the same f32 inputs): logp, lse and entropy;
// dh and dwlm added onto existing gradients; awkward N, C, V; vocabulary chunks (forward and backward) and the
// fold's segments crossed; the matvec (N <= 8) and tiled (N > 8) logits paths;
// masked rows (dlogp = 0); bit-identical reruns.
import { describe, expect, it } from 'vitest';
import * as cpu from '../../cpu/logprob.ts';
import { expectClose, randInts, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { logprobBackward, logprobForward } from './logprob.ts';
import { asF32, freeAll, gpuFloats, gpuInts, readF64 } from './test-helpers.ts';

const TOL_FWD = 1e-5; // normwise (max |diff| / max(1, max |expected|)), f32 vs f64
const TOL_BWD = 1e-5;

describe('logprob (WebGPU)', async () => {
  const be = await testBackend();

  const cases = [
    { N: 1, C: 5, V: 11, temp: 1, scale: 1, spanFloats: undefined },
    { N: 3, C: 5, V: 75, temp: 0.7, scale: 1, spanFloats: 3 * 32 }, // chunks of 64 rows: 2 chunks, the last partial
    { N: 70, C: 6, V: 300, temp: 1.3, scale: 1, spanFloats: 70 * 64 }, // 5 chunks of 64
    { N: 33, C: 40, V: 517, temp: 1, scale: 4, spanFloats: undefined }, // C not a multiple of 16, large logits
    { N: 5, C: 8, V: 2500, temp: 1, scale: 1, spanFloats: 5 * 1600 }, // 2 chunks of 1600: 2 fold segments each, one empty
  ];
  for (const { N, C, V, temp, scale, spanFloats } of cases) {
    it.skipIf(!be)(`forward and backward match the CPU (N=${N}, C=${C}, V=${V}, temperature=${temp})`, async () => {
      const rng = new Rng(N * 1000 + V, 24);
      const h = asF32(randn(rng, N * C, scale));
      const w = asF32(randn(rng, V * C));
      const targets = randInts(rng, N, V);
      targets[0] = V - 1;
      const dlogp = asF32(randn(rng, N));
      if (N > 2) dlogp[1] = 0; // a masked token
      const dh0 = asF32(randn(rng, N * C)); // existing gradients: backward adds
      const dw0 = asF32(randn(rng, V * C));

      const logp = new Float64Array(N);
      const lse = new Float64Array(N);
      const entropy = new Float64Array(N);
      cpu.logprobForward(logp, lse, entropy, h, w, targets, N, C, V, temp);
      const dh = dh0.slice();
      const dw = dw0.slice();
      cpu.logprobBackward(dh, dw, dlogp, h, w, targets, lse, N, C, V, temp);

      const g = {
        h: gpuFloats(be!, h),
        w: gpuFloats(be!, w),
        targets: gpuInts(be!, targets),
        logp: gpuFloats(be!, new Float64Array(N).fill(5)),
        lse: gpuFloats(be!, new Float64Array(N).fill(5)),
        entropy: gpuFloats(be!, new Float64Array(N).fill(5)),
        dlogp: gpuFloats(be!, dlogp),
        dh: gpuFloats(be!, dh0),
        dw: gpuFloats(be!, dw0),
      };
      logprobForward(be!.ctx, g.logp, g.lse, g.entropy, g.h, g.w, g.targets, N, C, V, temp, spanFloats);
      const gLogp = await readF64(be!, g.logp);
      const gLse = await readF64(be!, g.lse);
      const gEnt = await readF64(be!, g.entropy);
      expectClose('logp', gLogp, logp, TOL_FWD);
      expectClose('lse', gLse, lse, TOL_FWD);
      expectClose('entropy', gEnt, entropy, TOL_FWD);
      logprobBackward(be!.ctx, g.dh, g.dw, g.dlogp, g.h, g.w, g.targets, g.lse, N, C, V, temp, spanFloats);
      const gdh = await readF64(be!, g.dh);
      const gdw = await readF64(be!, g.dw);
      expectClose('dh (added)', gdh, dh, TOL_BWD);
      expectClose('dwlm (added)', gdw, dw, TOL_BWD);
      // the gradient itself, not just the sum with a large start value
      const sub = (a: Float64Array, b: Float64Array) => a.map((x, i) => x - b[i]);
      expectClose('dh increment', sub(gdh, dh0), sub(dh, dh0), TOL_BWD);
      expectClose('dwlm increment', sub(gdw, dw0), sub(dw, dw0), TOL_BWD);

      // deterministic reruns: the forward again, and a second backward from the same start
      logprobForward(be!.ctx, g.logp, g.lse, g.entropy, g.h, g.w, g.targets, N, C, V, temp, spanFloats);
      expect(await readF64(be!, g.logp)).toEqual(gLogp);
      expect(await readF64(be!, g.entropy)).toEqual(gEnt);
      be!.uploadFloat(g.dh, Float32Array.from(dh0));
      be!.uploadFloat(g.dw, Float32Array.from(dw0));
      logprobBackward(be!.ctx, g.dh, g.dw, g.dlogp, g.h, g.w, g.targets, g.lse, N, C, V, temp, spanFloats);
      expect(await readF64(be!, g.dh)).toEqual(gdh);
      expect(await readF64(be!, g.dw)).toEqual(gdw);
      freeAll(be!, ...Object.values(g));
    });
  }

  it.skipIf(!be)('a target outside the vocabulary gives NaN, not a silent number', async () => {
    const N = 2;
    const C = 3;
    const V = 5;
    const g = {
      h: gpuFloats(be!, [1, 2, 3, 4, 5, 6]),
      w: gpuFloats(be!, new Float64Array(V * C).fill(0.1)),
      t: gpuInts(be!, [V, 0]),
      a: be!.allocFloat(N),
      b: be!.allocFloat(N),
      c: be!.allocFloat(N),
    };
    logprobForward(be!.ctx, g.a, g.b, g.c, g.h, g.w, g.t, N, C, V, 1);
    const logp = await be!.readFloat(g.a);
    expect(Number.isNaN(logp[0])).toBe(true);
    expect(logp[1]).toBeCloseTo(-Math.log(V), 5);
    freeAll(be!, ...Object.values(g));
  });
});
