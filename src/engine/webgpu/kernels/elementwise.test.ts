// WebGPU elementwise kernels vs their CPU twins (cpu/elementwise.ts). add, accumulate and scale are single
// f32 operations per element (scale's factor is passed as an f32), so they must equal the CPU (f32 storage)
// bit for bit. sumSquares accumulates in f32 (the CPU in f64): tolerance 1e-6 relative, as all terms are
// positive and each thread sums a run of them before the fixed trees; it must also repeat bit for bit.
import { describe, expect, it } from 'vitest';
import { accumulate, add, scale, sumSquares } from '../../cpu/elementwise.ts';
import { randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { gpuFloats } from './test-helpers.ts';

describe('webgpu elementwise', async () => {
  const be = await testBackend();
  const upload = (a: Float32Array) => gpuFloats(be!, a);

  for (const len of [1, 6, 1000]) {
    it.skipIf(!be)(`add, accumulate and scale (len ${len}) equal the CPU bit for bit`, async () => {
      const rng = new Rng(len, 1);
      const a = Float32Array.from(randn(rng, len));
      const b = Float32Array.from(randn(rng, len));
      const [gA, gB, gOut] = [upload(a), upload(b), upload(Float32Array.from({ length: len }, () => 5))];
      const out = new Float32Array(len);
      add(out, a, b);
      be!.add(gOut, gA, gB);
      expect(await be!.readFloat(gOut)).toEqual(out);
      accumulate(out, a);
      be!.accumulate(gOut, gA);
      expect(await be!.readFloat(gOut)).toEqual(out);
      const s = Math.fround(0.3); // the GPU receives s as an f32 uniform
      scale(out, s);
      be!.scale(gOut, s);
      expect(await be!.readFloat(gOut)).toEqual(out);
      expect(() => be!.add(gOut, gA, be!.view(gB, 0, 0))).toThrow(/length mismatch/);
      for (const t of [gA, gB, gOut]) be!.free(t);
    });
  }

  for (const len of [1, 7, 5000, 300_000]) {
    it.skipIf(!be)(`sumSquares (len ${len}) matches the f64 sum and repeats bit for bit`, async () => {
      const rng = new Rng(len, 2);
      const x = Float32Array.from(randn(rng, len));
      const gX = upload(x);
      const want = sumSquares(x);
      const got = await be!.sumSquares(gX);
      const rel = Math.abs(got - want) / want;
      if (!(rel <= 1e-6)) throw new Error(`sumSquares: got ${got}, want ${want}, rel diff ${rel.toExponential(3)} (tol 1e-6)`);
      const created = [be!.ctx.pipelinesCreated, be!.ctx.bindGroupsCreated, be!.ctx.pool.created];
      expect(await be!.sumSquares(gX)).toBe(got);
      expect([be!.ctx.pipelinesCreated, be!.ctx.bindGroupsCreated, be!.ctx.pool.created], 'nothing created on a repeat').toEqual(created);
      be!.free(gX);
    });
  }

  it.skipIf(!be)('sumSquares of a view, and of nothing', async () => {
    const big = upload(Float32Array.from({ length: 200 }, (_, i) => i));
    expect(await be!.sumSquares(be!.view(big, 64, 3))).toBe(64 * 64 + 65 * 65 + 66 * 66);
    expect(await be!.sumSquares(be!.view(big, 0, 0))).toBe(0);
    be!.free(big);
  });

  it.skipIf(!be)('more than 65535 workgroups: the 2-D grid reaches every element', async () => {
    const len = 256 * 65535 + 1000; // one workgroup more than one grid dimension holds, and a partial one
    const x = be!.allocFloat(len);
    be!.uploadFloat(x, new Float32Array(len).fill(1.5));
    be!.scale(x, 2);
    const got = await be!.readFloat(x);
    let bad = -1;
    for (let i = 0; i < len && bad < 0; i++) if (got[i] !== 3) bad = i;
    expect(bad, `first element not scaled: ${bad}`).toBe(-1);
    be!.free(x);
  });
});
