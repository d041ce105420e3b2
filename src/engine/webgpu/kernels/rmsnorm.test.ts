// WebGPU RMSNorm kernels vs their CPU twins (cpu/rmsnorm.ts, run in f64 on the same f32 inputs).
// Tolerance 1e-5 normwise (max |gpu - cpu| / max(max |cpu|, 1)): each row's statistic is an f32 sum of C <= 1000
// terms (tree-reduced) and dweight an f32 sum over N <= 300 rows, both with rounding error near 1e-6 of the
// result's scale; indexing errors show at 1e-1.
import { describe, expect, it } from 'vitest';
import { rmsnormBackward, rmsnormForward } from '../../cpu/rmsnorm.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { gpuFloats } from './test-helpers.ts';

const TOL = 1e-5;

describe('webgpu rmsnorm', async () => {
  const be = await testBackend();
  const upload = (a: Float32Array) => gpuFloats(be!, a);
  const rand = (rng: Rng, n: number, scale = 1) => Float32Array.from(randn(rng, n, scale));
  const f64 = (a: Float32Array) => Float64Array.from(a);
  // Pipelines, bind groups and buffers created so far: a repeated call must not change them.
  const gpuObjectsCreated = () => [be!.ctx.pipelinesCreated, be!.ctx.bindGroupsCreated, be!.ctx.pool.created];

  // [N, C]: one row; a row shorter than a workgroup; several row chunks of the dweight reduction (N > 64);
  // rows longer than the workgroup (several elements per thread).
  for (const [N, C] of [
    [1, 6],
    [5, 33],
    [300, 70],
    [3, 1000],
  ]) {
    it.skipIf(!be)(`forward and backward N=${N} C=${C}; backward adds`, async () => {
      const rng = new Rng(N, C);
      const eps = 1e-6;
      const inp = rand(rng, N * C, 2);
      const weight = rand(rng, C);
      const dout = rand(rng, N * C);
      const dinp0 = rand(rng, N * C);
      const dw0 = rand(rng, C);
      const [gInp, gW, gDout] = [upload(inp), upload(weight), upload(dout)];
      const [gOut, gRstd] = [be!.allocFloat(N * C), be!.allocFloat(N)];

      const out = new Float64Array(N * C);
      const rstd = new Float64Array(N);
      rmsnormForward(out, rstd, f64(inp), f64(weight), N, C, eps);
      be!.rmsnormForward(gOut, gRstd, gInp, gW, N, C, eps);
      expectClose('out', await be!.readFloat(gOut), out, TOL);
      expectClose('rstd', await be!.readFloat(gRstd), rstd, TOL);

      // Backward from the GPU's own rstd (f32), as the model uses it, started from non-zero gradients.
      const gpuRstd = f64(await be!.readFloat(gRstd));
      const [gDinp, gDw] = [upload(dinp0), upload(dw0)];
      const dinp = f64(dinp0);
      const dw = f64(dw0);
      let created: number[] = [];
      for (let round = 1; round <= 2; round++) {
        rmsnormBackward(dinp, dw, f64(dout), f64(inp), f64(weight), gpuRstd, N, C);
        be!.rmsnormBackward(gDinp, gDw, gDout, gInp, gW, gRstd, N, C);
        expectClose(`dinp (round ${round})`, await be!.readFloat(gDinp), dinp, TOL);
        expectClose(`dweight (round ${round})`, await be!.readFloat(gDw), dw, TOL);
        if (round === 1) created = gpuObjectsCreated();
      }
      expect(gpuObjectsCreated(), 'a repeated call creates no pipelines, bind groups or buffers').toEqual(created);
      for (const t of [gInp, gW, gDout, gOut, gRstd, gDinp, gDw]) be!.free(t);
    });
  }

  it.skipIf(!be)('backward is bit-identical run to run', async () => {
    const [N, C] = [300, 70];
    const rng = new Rng(1, 2);
    const [gInp, gW, gDout, gRstd] = [upload(rand(rng, N * C)), upload(rand(rng, C)), upload(rand(rng, N * C)), be!.allocFloat(N)];
    const gOut = be!.allocFloat(N * C);
    be!.rmsnormForward(gOut, gRstd, gInp, gW, N, C, 1e-5);
    const runs: Float32Array[][] = [];
    for (let r = 0; r < 2; r++) {
      const [gDinp, gDw] = [be!.allocFloat(N * C), be!.allocFloat(C)];
      be!.rmsnormBackward(gDinp, gDw, gDout, gInp, gW, gRstd, N, C);
      runs.push([await be!.readFloat(gDinp), await be!.readFloat(gDw)]);
      for (const t of [gDinp, gDw]) be!.free(t);
    }
    expect(Buffer.from(runs[1][0].buffer).equals(Buffer.from(runs[0][0].buffer))).toBe(true);
    expect(Buffer.from(runs[1][1].buffer).equals(Buffer.from(runs[0][1].buffer))).toBe(true);
    for (const t of [gInp, gW, gDout, gRstd, gOut]) be!.free(t);
  });

  it.skipIf(!be)('more rows than workgroups per grid dimension (65535): the 2-D grid covers them all', async () => {
    const [N, C] = [70_000, 2];
    const inp = Float32Array.from({ length: N * C }, (_, i) => (i % 7) - 3);
    const weight = Float32Array.from([1, 2]);
    const [gInp, gW, gOut, gRstd] = [upload(inp), upload(weight), be!.allocFloat(N * C), be!.allocFloat(N)];
    be!.rmsnormForward(gOut, gRstd, gInp, gW, N, C, 1e-6);
    const out = new Float64Array(N * C);
    rmsnormForward(out, new Float64Array(N), f64(inp), f64(weight), N, C, 1e-6);
    expectClose('out', await be!.readFloat(gOut), out, TOL);
    for (const t of [gInp, gW, gOut, gRstd]) be!.free(t);
  });
});
