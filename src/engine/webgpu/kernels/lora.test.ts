// WebGPU LoRA kernels vs their CPU twins (cpu/lora.ts, run in f64 on the same f32 inputs), on awkward shapes:
// r = 1, r and C not multiples of 4 (the matmuls' scalar loaders), N and OC across several 64x64 tiles.
// Tolerance 1e-5 normwise, as matmul.test.ts argues: each output is an f32 sum of at most a few hundred products
// (C, OC or N long), rounding near 1e-6 of the result's scale; an indexing error shows at 1e-2 or more.
import { describe, expect, it } from 'vitest';
import { loraBackward, loraForward } from '../../cpu/lora.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { freeAll, gpuFloats } from './test-helpers.ts';

const TOL = 1e-5;

describe('webgpu lora', async () => {
  const be = await testBackend();
  const rand = (rng: Rng, n: number) => Float32Array.from(randn(rng, n));
  const f64 = (a: Float32Array) => Float64Array.from(a);
  const gpuObjectsCreated = () => [be!.ctx.pipelinesCreated, be!.ctx.bindGroupsCreated, be!.ctx.pool.created];

  // [N, C, OC, r]
  for (const [N, C, OC, r] of [
    [1, 6, 5, 1],
    [7, 13, 9, 3],
    [70, 64, 132, 8],
    [130, 36, 20, 16],
  ]) {
    it.skipIf(!be)(`forward and backward N=${N} C=${C} OC=${OC} r=${r}; backward adds`, async () => {
      const rng = new Rng(N * 31 + C, OC * 7 + r);
      const scale = 32 / r;
      const inp = rand(rng, N * C);
      const A = rand(rng, r * C);
      const Bt = rand(rng, r * OC);
      const base = rand(rng, N * OC);
      const dout = rand(rng, N * OC);
      const dinp0 = rand(rng, N * C);
      const dA0 = rand(rng, r * C);
      const dBt0 = rand(rng, r * OC);
      const [gInp, gA, gBt, gOut, gDout] = [inp, A, Bt, base, dout].map((x) => gpuFloats(be!, x));
      const [gU, gDu] = [be!.allocFloat(N * r), be!.allocFloat(N * r)];
      be!.uploadFloat(gU, Float32Array.from({ length: N * r }, () => 99)); // forward must overwrite u

      const out = f64(base);
      const u = new Float64Array(N * r);
      loraForward(out, u, f64(inp), f64(A), f64(Bt), N, C, OC, r, scale);
      be!.loraForward(gOut, gU, gInp, gA, gBt, N, C, OC, r, scale);
      expectClose('out', await be!.readFloat(gOut), out, TOL);
      expectClose('u', await be!.readFloat(gU), u, TOL);

      // Backward from the GPU's own u, started from non-zero gradients, twice (it must add).
      const gpuU = f64(await be!.readFloat(gU));
      const [gDinp, gDA, gDBt] = [dinp0, dA0, dBt0].map((x) => gpuFloats(be!, x));
      const want = { dinp: f64(dinp0), dA: f64(dA0), dBt: f64(dBt0) };
      const du = new Float64Array(N * r);
      let created: number[] = [];
      for (let round = 1; round <= 2; round++) {
        loraBackward(want.dinp, want.dA, want.dBt, du, f64(dout), f64(inp), gpuU, f64(A), f64(Bt), N, C, OC, r, scale);
        be!.loraBackward(gDinp, gDA, gDBt, gDu, gDout, gInp, gU, gA, gBt, N, C, OC, r, scale);
        expectClose(`dinp (round ${round})`, await be!.readFloat(gDinp), want.dinp, TOL);
        expectClose(`dA (round ${round})`, await be!.readFloat(gDA), want.dA, TOL);
        expectClose(`dBt (round ${round})`, await be!.readFloat(gDBt), want.dBt, TOL);
        expectClose(`du (round ${round})`, await be!.readFloat(gDu), du, TOL);
        if (round === 1) created = gpuObjectsCreated();
      }
      expect(gpuObjectsCreated(), 'a repeated call creates no pipelines, bind groups or buffers').toEqual(created);
      // dinp = null: the input gradient is left alone, the adapter gradients still add.
      const dinpBefore = await be!.readFloat(gDinp);
      loraBackward(null, want.dA, want.dBt, du, f64(dout), f64(inp), gpuU, f64(A), f64(Bt), N, C, OC, r, scale);
      be!.loraBackward(null, gDA, gDBt, gDu, gDout, gInp, gU, gA, gBt, N, C, OC, r, scale);
      expect(await be!.readFloat(gDinp)).toEqual(dinpBefore);
      expectClose('dA (dinp null)', await be!.readFloat(gDA), want.dA, TOL);
      freeAll(be!, gInp, gA, gBt, gOut, gDout, gU, gDu, gDinp, gDA, gDBt);
    });
  }
});
