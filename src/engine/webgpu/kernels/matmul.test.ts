// WebGPU matmul kernels vs their CPU twins (cpu/matmul.ts, run in f64 on the same f32 inputs) on seeded random
// shapes: tiny and awkward ones (N=1, C=6, OC=5: the scalar loader and every bounds check), ones that are not
// multiples of the 64x64 tile, and ones spanning several workgroups in each dimension with several K stages.
// Tolerance 1e-5, normwise (max |gpu - cpu| / max(max |cpu|, 1)): the GPU accumulates K <= 200 products in f32,
// whose rounding error grows like sqrt(K) * 2^-24 ~ 1e-6 of the typical magnitude; 1e-5 leaves a 10x margin
// while any indexing error (a wrong or missing term) shows up at 1e-2 or more.
import { describe, expect, it } from 'vitest';
import { matmulBackward, matmulForward } from '../../cpu/matmul.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { gpuFloats } from './test-helpers.ts';

const TOL = 1e-5;

describe('webgpu matmul', async () => {
  const be = await testBackend();
  const upload = (a: Float32Array) => gpuFloats(be!, a);
  const rand = (rng: Rng, n: number) => Float32Array.from(randn(rng, n));
  // Pipelines, bind groups and buffers created so far: a repeated call must not change them.
  const gpuObjectsCreated = () => [be!.ctx.pipelinesCreated, be!.ctx.bindGroupsCreated, be!.ctx.pool.created];

  // [N, C, OC]: scalar path (C or OC not a multiple of 4) and vec4 path, one row, and several 64x64 tiles.
  const shapes = [
    [1, 6, 5],
    [3, 6, 5],
    [7, 13, 9],
    [17, 12, 20],
    [1, 64, 36],
    [130, 68, 136],
    [70, 30, 150],
  ];

  for (const [N, C, OC] of shapes) {
    it.skipIf(!be)(`forward N=${N} C=${C} OC=${OC}, with and without bias`, async () => {
      const rng = new Rng(N * 1000 + C, OC);
      const inp = rand(rng, N * C);
      const w = rand(rng, OC * C);
      const bias = rand(rng, OC);
      const gInp = upload(inp);
      const gW = upload(w);
      const gBias = upload(bias);
      const gOut = be!.allocFloat(N * OC);
      for (const withBias of [false, true]) {
        const want = new Float64Array(N * OC);
        matmulForward(want, Float64Array.from(inp), Float64Array.from(w), withBias ? Float64Array.from(bias) : null, N, C, OC);
        be!.uploadFloat(gOut, Float32Array.from({ length: N * OC }, () => 123)); // forward must overwrite
        be!.matmulForward(gOut, gInp, gW, withBias ? gBias : null, N, C, OC);
        expectClose(`forward (bias ${withBias})`, await be!.readFloat(gOut), want, TOL);
      }
      for (const t of [gInp, gW, gBias, gOut]) be!.free(t);
    });

    it.skipIf(!be)(`backward N=${N} C=${C} OC=${OC} adds into non-zero gradients, twice`, async () => {
      const rng = new Rng(N * 1000 + C, OC + 7);
      const inp = rand(rng, N * C);
      const w = rand(rng, OC * C);
      const dout = rand(rng, N * OC);
      const dinp0 = rand(rng, N * C);
      const dw0 = rand(rng, OC * C);
      const db0 = rand(rng, OC);
      const [gInp, gW, gDout] = [upload(inp), upload(w), upload(dout)];
      const [gDinp, gDw, gDb] = [upload(dinp0), upload(dw0), upload(db0)];
      const want = { dinp: Float64Array.from(dinp0), dw: Float64Array.from(dw0), db: Float64Array.from(db0) };
      let created: number[] = [];
      for (let round = 1; round <= 2; round++) {
        matmulBackward(want.dinp, want.dw, want.db, Float64Array.from(dout), Float64Array.from(inp), Float64Array.from(w), N, C, OC);
        be!.matmulBackward(gDinp, gDw, gDb, gDout, gInp, gW, N, C, OC);
        expectClose(`dinp (round ${round})`, await be!.readFloat(gDinp), want.dinp, TOL);
        expectClose(`dweight (round ${round})`, await be!.readFloat(gDw), want.dw, TOL);
        expectClose(`dbias (round ${round})`, await be!.readFloat(gDb), want.db, TOL);
        if (round === 1) created = gpuObjectsCreated();
      }
      expect(gpuObjectsCreated(), 'a repeated call creates no pipelines, bind groups or buffers').toEqual(created);
      // dinp = null and dbias = null are skipped, the weight gradient still accumulates.
      const dinpBefore = await be!.readFloat(gDinp);
      matmulBackward(null, want.dw, null, Float64Array.from(dout), Float64Array.from(inp), Float64Array.from(w), N, C, OC);
      be!.matmulBackward(null, gDw, null, gDout, gInp, gW, N, C, OC);
      expectClose('dweight (dinp null)', await be!.readFloat(gDw), want.dw, TOL);
      expect(await be!.readFloat(gDinp)).toEqual(dinpBefore);
      expectClose('dbias untouched', await be!.readFloat(gDb), want.db, TOL);
      for (const t of [gInp, gW, gDout, gDinp, gDw, gDb]) be!.free(t);
    });
  }

  it.skipIf(!be)('backward is bit-identical run to run', async () => {
    const [N, C, OC] = [130, 68, 136];
    const rng = new Rng(5, 5);
    const [gInp, gW, gDout] = [upload(rand(rng, N * C)), upload(rand(rng, OC * C)), upload(rand(rng, N * OC))];
    const runs: Float32Array[][] = [];
    for (let r = 0; r < 2; r++) {
      const [gDinp, gDw, gDb] = [be!.allocFloat(N * C), be!.allocFloat(OC * C), be!.allocFloat(OC)];
      be!.matmulBackward(gDinp, gDw, gDb, gDout, gInp, gW, N, C, OC);
      runs.push([await be!.readFloat(gDinp), await be!.readFloat(gDw), await be!.readFloat(gDb)]);
      for (const t of [gDinp, gDw, gDb]) be!.free(t);
    }
    for (let i = 0; i < 3; i++) expect(Buffer.from(runs[1][i].buffer).equals(Buffer.from(runs[0][i].buffer))).toBe(true);
    for (const t of [gInp, gW, gDout]) be!.free(t);
  });

  it.skipIf(!be)('views at an offset into a larger buffer', async () => {
    const [N, C, OC] = [5, 8, 12];
    const rng = new Rng(9, 9);
    const inp = rand(rng, N * C);
    const w = rand(rng, OC * C);
    const big = be!.allocFloat(64 + OC * C + 64);
    const wView = be!.view(big, 64, OC * C);
    be!.uploadFloat(wView, w);
    const gInp = upload(inp);
    const gOut = be!.allocFloat(N * OC);
    be!.matmulForward(gOut, gInp, wView, null, N, C, OC);
    const want = new Float64Array(N * OC);
    matmulForward(want, Float64Array.from(inp), Float64Array.from(w), null, N, C, OC);
    expectClose('forward through a view', await be!.readFloat(gOut), want, TOL);
    for (const t of [big, gInp, gOut]) be!.free(t);
  });
});
