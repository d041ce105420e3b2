// WebGPU embedding kernels vs their CPU twins (cpu/embedding.ts). Both are exact: the forward copies and the
// backward adds each token's rows in the CPU's order (dwte + dout[n0] + dout[n1] + ..., each sum rounded to
// f32), so results must be equal bit for bit, repeated tokens included.
import { describe, expect, it } from 'vitest';
import { embeddingBackward, embeddingForward } from '../../cpu/embedding.ts';
import { randInts, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { gpuFloats, gpuInts } from './test-helpers.ts';

describe('webgpu embedding', async () => {
  const be = await testBackend();
  const upload = (a: Float32Array) => gpuFloats(be!, a);
  const uploadInt = (a: Int32Array) => gpuInts(be!, a);
  // Pipelines, bind groups and buffers created so far: a repeated call must not change them.
  const gpuObjectsCreated = () => [be!.ctx.pipelinesCreated, be!.ctx.bindGroupsCreated, be!.ctx.pool.created];

  // [N, C, V]: V small against N forces many repeated tokens; the last spans several workgroups.
  for (const [N, C, V] of [
    [1, 6, 5],
    [40, 6, 7],
    [33, 17, 3],
    [300, 64, 1000],
  ]) {
    it.skipIf(!be)(`forward and backward N=${N} C=${C} V=${V} equal the CPU bit for bit, backward adds`, async () => {
      const rng = new Rng(N + C, V);
      const tokens = randInts(rng, N, V);
      const wte = Float32Array.from(randn(rng, V * C));
      const dout = Float32Array.from(randn(rng, N * C));
      const dwte0 = Float32Array.from(randn(rng, V * C));
      const [gTok, gWte, gDout, gDwte] = [uploadInt(tokens), upload(wte), upload(dout), upload(dwte0)];
      const gOut = be!.allocFloat(N * C);

      const out = new Float32Array(N * C);
      embeddingForward(out, tokens, wte, N, C);
      be!.embeddingForward(gOut, gTok, gWte, N, C);
      expect(await be!.readFloat(gOut)).toEqual(out);

      const dwte = dwte0.slice();
      let created: number[] = [];
      for (let round = 1; round <= 2; round++) {
        embeddingBackward(dwte, dout, tokens, N, C);
        be!.embeddingBackward(gDwte, gDout, gTok, N, C);
        expect(await be!.readFloat(gDwte), `dwte after ${round} backward call(s)`).toEqual(dwte);
        if (round === 1) created = gpuObjectsCreated();
      }
      expect(gpuObjectsCreated(), 'a repeated call creates no pipelines, bind groups or buffers').toEqual(created);
      for (const t of [gTok, gWte, gDout, gDwte, gOut]) be!.free(t);
    });
  }

  it.skipIf(!be)('a token outside [0, V) gives a zero row forward and is ignored backward', async () => {
    const [N, C, V] = [4, 6, 3];
    const tokens = Int32Array.from([1, -1, 3, 1]);
    const wte = Float32Array.from({ length: V * C }, (_, i) => i + 1);
    const [gTok, gWte] = [uploadInt(tokens), upload(wte)];
    const gOut = be!.allocFloat(N * C);
    be!.embeddingForward(gOut, gTok, gWte, N, C);
    const out = await be!.readFloat(gOut);
    expect(Array.from(out.slice(C, 3 * C))).toEqual(new Array(2 * C).fill(0));
    expect(Array.from(out.slice(0, C))).toEqual(Array.from(wte.slice(C, 2 * C)));
    const gDwte = be!.allocFloat(V * C);
    be!.embeddingBackward(gDwte, upload(Float32Array.from({ length: N * C }, () => 1)), gTok, N, C);
    const dwte = await be!.readFloat(gDwte);
    expect(Array.from(dwte.slice(C, 2 * C))).toEqual(new Array(C).fill(2)); // token 1 twice
    expect(dwte.slice(0, C).every((x) => x === 0) && dwte.slice(2 * C).every((x) => x === 0)).toBe(true);
  });
});
