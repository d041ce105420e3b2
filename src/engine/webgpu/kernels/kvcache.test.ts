// The KV cache kernels on the GPU vs the CPU twins: write (rows, positions, untouched rest), gather, and decode
// attention over cached prefixes of different lengths (len 0, 1, a block boundary, > one block), GQA.
import { describe, expect, it } from 'vitest';
import * as cpu from '../../cpu/kvcache.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { decodeAttention, kvCacheGather, kvCacheWrite } from './kvcache.ts';
import { asF32, freeAll, gpuFloats, gpuInts, readF64 } from './test-helpers.ts';

const TOL_DECODE = 1e-5; // normwise, f32 vs f64

describe('kv cache (WebGPU)', async () => {
  const be = await testBackend();

  it.skipIf(!be)('kvCacheWrite and kvCacheGather copy exactly what the CPU copies', async () => {
    const B = 2;
    const S = 3;
    const KVH = 2;
    const D = 6;
    const W = KVH * D;
    const maxT = 7;
    const rows = 3;
    const rng = new Rng(1, 23);
    const kNew = asF32(randn(rng, B * S * W));
    const vNew = asF32(randn(rng, B * S * W));
    const cacheRow = new Int32Array([2, 0]);
    const pos = new Int32Array([0, 4, 6, 1, 2, 3]);
    const kRef = new Float64Array(rows * maxT * W).fill(-1);
    const vRef = kRef.slice();
    cpu.kvCacheWrite(kRef, vRef, kNew, vNew, cacheRow, pos, B, S, KVH, D, maxT);
    const g = {
      k: gpuFloats(be!, new Float64Array(kRef.length).fill(-1)),
      v: gpuFloats(be!, new Float64Array(kRef.length).fill(-1)),
      kNew: gpuFloats(be!, kNew),
      vNew: gpuFloats(be!, vNew),
      rows: gpuInts(be!, cacheRow),
      pos: gpuInts(be!, pos),
    };
    kvCacheWrite(be!.ctx, g.k, g.v, g.kNew, g.vNew, g.rows, g.pos, B, S, KVH, D, maxT);
    expect(await readF64(be!, g.k)).toEqual(kRef);
    expect(await readF64(be!, g.v)).toEqual(vRef);
    // The CPU throws on a row or position outside the cache; the kernel cannot, so it skips those tokens.
    be!.uploadInt(g.rows, Int32Array.from([rows, 1]));
    be!.uploadInt(g.pos, Int32Array.from([0, 1, 2, -1, maxT, 5]));
    kvCacheWrite(be!.ctx, g.k, g.v, g.kNew, g.vNew, g.rows, g.pos, B, S, KVH, D, maxT);
    const kSkip = kRef.slice();
    const vSkip = vRef.slice();
    cpu.kvCacheWrite(kSkip, vSkip, kNew.subarray(5 * W, 6 * W), vNew.subarray(5 * W, 6 * W), Int32Array.from([1]), Int32Array.from([5]), 1, 1, KVH, D, maxT);
    expect(await readF64(be!, g.k)).toEqual(kSkip); // only token (1, 2) landed: row 1, position 5
    expect(await readF64(be!, g.v)).toEqual(vSkip);

    const R = 4;
    const T = 5;
    const srcRow = new Int32Array([2, 0, 2, 1]);
    const dk = new Float64Array(R * maxT * W).fill(3);
    const dv = dk.slice();
    cpu.kvCacheGather(dk, dv, kRef, vRef, srcRow, R, T, KVH, D, maxT);
    const gd = { k: gpuFloats(be!, new Float64Array(dk.length).fill(3)), v: gpuFloats(be!, new Float64Array(dk.length).fill(3)), src: gpuInts(be!, srcRow) };
    kvCacheGather(be!.ctx, gd.k, gd.v, g.k, g.v, gd.src, R, T, KVH, D, maxT);
    expect(await readF64(be!, gd.k)).toEqual(dk);
    expect(await readF64(be!, gd.v)).toEqual(dv);
    freeAll(be!, ...Object.values(g), ...Object.values(gd));
  });

  const cases = [
    { B: 5, NH: 4, KVH: 2, D: 6, maxT: 70, lens: [0, 1, 64, 65, 70] },
    { B: 2, NH: 4, KVH: 1, D: 4, maxT: 9, lens: [9, 3] },
    { B: 2, NH: 2, KVH: 2, D: 128, maxT: 130, lens: [130, 17] },
  ];
  for (const { B, NH, KVH, D, maxT, lens } of cases) {
    it.skipIf(!be)(`decodeAttention matches the CPU (B=${B} NH=${NH} KVH=${KVH} D=${D} lens=${lens.join(',')})`, async () => {
      const rng = new Rng(D * 10 + B, 23);
      const q = asF32(randn(rng, B * NH * D, 2));
      const k = asF32(randn(rng, B * maxT * KVH * D, 2));
      const v = asF32(randn(rng, B * maxT * KVH * D));
      const len = new Int32Array(lens);
      const ref = new Float64Array(B * NH * D);
      cpu.decodeAttention(ref, q, k, v, len, B, NH, KVH, D, maxT);
      const g = { q: gpuFloats(be!, q), k: gpuFloats(be!, k), v: gpuFloats(be!, v), len: gpuInts(be!, len), out: gpuFloats(be!, new Float64Array(ref.length).fill(9)) };
      decodeAttention(be!.ctx, g.out, g.q, g.k, g.v, g.len, B, NH, KVH, D, maxT);
      const got = await readF64(be!, g.out);
      expectClose('decode out', got, ref, TOL_DECODE);
      decodeAttention(be!.ctx, g.out, g.q, g.k, g.v, g.len, B, NH, KVH, D, maxT);
      expect(await readF64(be!, g.out)).toEqual(got); // deterministic
      freeAll(be!, ...Object.values(g));
    });
  }
});
