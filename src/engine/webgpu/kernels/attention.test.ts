// Fused attention on the GPU vs the CPU twin (f64 on the same f32 inputs): forward out and lse, backward dq,
// dk, dv (overwrite semantics), GQA with several query heads per kv head, awkward T and D, both tilings
// (the device's 32 KiB and the 16 KiB WebGPU minimum), and bit-identical reruns.
import { describe, expect, it } from 'vitest';
import * as cpu from '../../cpu/attention.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { attentionBackward, attentionForward, attentionTiles } from './attention.ts';
import { asF32, freeAll, gpuFloats, readF64 } from './test-helpers.ts';

const TOL_FWD = 1e-5; // normwise (max |diff| / max(1, max |expected|)), f32 vs f64
const TOL_BWD = 2e-5;

describe('attention (WebGPU)', async () => {
  const be = await testBackend();

  it('tilings fit their workgroup memory for every head dim up to 128', () => {
    for (const bytes of [16384, 32768]) {
      for (let D = 1; D <= 128; D++) {
        for (const kind of ['forward', 'dkdv', 'dq'] as const) {
          const t = attentionTiles(kind, D, bytes);
          expect(t.BQ * t.BK).toBeGreaterThanOrEqual(32);
        }
      }
    }
  });

  // Small tile budgets exercise many blocks and partial blocks on short sequences (and compile fast on
  // SwiftShader, whose shader compile time grows with workgroup memory); one case per shipped tiling.
  const cases = [
    { B: 2, T: 5, NH: 4, KVH: 2, D: 4, storageBytes: 4096 },
    { B: 1, T: 1, NH: 4, KVH: 1, D: 6, storageBytes: 4096 },
    { B: 2, T: 37, NH: 4, KVH: 1, D: 6, storageBytes: 4096 },
    { B: 1, T: 37, NH: 4, KVH: 2, D: 6, storageBytes: 4096 },
    { B: 1, T: 21, NH: 2, KVH: 2, D: 64, storageBytes: 8192 },
    { B: 1, T: 19, NH: 2, KVH: 1, D: 128 }, // the default 16 KiB tiling
  ];
  for (const { B, T, NH, KVH, D, storageBytes } of cases) {
    const name = `B=${B} T=${T} NH=${NH} KVH=${KVH} D=${D}, ${(storageBytes ?? 16384) / 1024} KiB tiles`;
    it.skipIf(!be)(`forward and backward match the CPU: ${name}`, async () => {
      const rng = new Rng(T * 131 + D * 7 + NH, 22);
      const qLen = B * T * NH * D;
      const kvLen = B * T * KVH * D;
      const q = asF32(randn(rng, qLen, 1.5));
      const k = asF32(randn(rng, kvLen, 1.5));
      const v = asF32(randn(rng, kvLen));
      const dout = asF32(randn(rng, qLen));
      const out = new Float64Array(qLen);
      const lse = new Float64Array(B * NH * T);
      cpu.attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
      const dq = new Float64Array(qLen);
      const dk = new Float64Array(kvLen);
      const dv = new Float64Array(kvLen);
      cpu.attentionBackward(dq, dk, dv, dout, q, k, v, out, lse, B, T, NH, KVH, D);

      const g = {
        q: gpuFloats(be!, q),
        k: gpuFloats(be!, k),
        v: gpuFloats(be!, v),
        dout: gpuFloats(be!, dout),
        out: gpuFloats(be!, new Float64Array(qLen).fill(7)), // garbage: every output is overwritten
        lse: gpuFloats(be!, new Float64Array(B * NH * T).fill(7)),
        dq: gpuFloats(be!, new Float64Array(qLen).fill(7)),
        dk: gpuFloats(be!, new Float64Array(kvLen).fill(7)),
        dv: gpuFloats(be!, new Float64Array(kvLen).fill(7)),
      };
      const opts = { storageBytes };
      attentionForward(be!.ctx, g.out, g.lse, g.q, g.k, g.v, B, T, NH, KVH, D, opts);
      const gOut = await readF64(be!, g.out);
      expectClose('out', gOut, out, TOL_FWD);
      expectClose('lse', await readF64(be!, g.lse), lse, TOL_FWD);
      attentionBackward(be!.ctx, g.dq, g.dk, g.dv, g.dout, g.q, g.k, g.v, g.out, g.lse, B, T, NH, KVH, D, opts);
      const gdq = await readF64(be!, g.dq);
      const gdk = await readF64(be!, g.dk);
      const gdv = await readF64(be!, g.dv);
      expectClose('dq', gdq, dq, TOL_BWD);
      expectClose('dk', gdk, dk, TOL_BWD);
      expectClose('dv', gdv, dv, TOL_BWD);
      // Deterministic: a rerun (backward twice, so also no accumulation) gives the same bits.
      attentionForward(be!.ctx, g.out, g.lse, g.q, g.k, g.v, B, T, NH, KVH, D, opts);
      attentionBackward(be!.ctx, g.dq, g.dk, g.dv, g.dout, g.q, g.k, g.v, g.out, g.lse, B, T, NH, KVH, D, opts);
      expect(await readF64(be!, g.out)).toEqual(gOut);
      expect(await readF64(be!, g.dq)).toEqual(gdq);
      expect(await readF64(be!, g.dk)).toEqual(gdk);
      expect(await readF64(be!, g.dv)).toEqual(gdv);
      freeAll(be!, ...Object.values(g));
    });
  }

  it.skipIf(!be)('is causal over right padding and stable for large scores', async () => {
    const B = 2;
    const T = 9;
    const NH = 4;
    const KVH = 1;
    const D = 6;
    const opts = { storageBytes: 4096 };
    const rng = new Rng(5, 22);
    const q = asF32(randn(rng, B * T * NH * D, 30));
    const k = asF32(randn(rng, B * T * KVH * D, 30));
    const v = asF32(randn(rng, B * T * KVH * D));
    const out = new Float64Array(q.length);
    const lse = new Float64Array(B * NH * T);
    cpu.attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
    const g = { q: gpuFloats(be!, q), k: gpuFloats(be!, k), v: gpuFloats(be!, v), out: be!.allocFloat(q.length), lse: be!.allocFloat(lse.length) };
    attentionForward(be!.ctx, g.out, g.lse, g.q, g.k, g.v, B, T, NH, KVH, D, opts);
    const first = await readF64(be!, g.out);
    expectClose('out (scores ~1e3)', first, out, TOL_FWD);
    expectClose('lse (scores ~1e3)', await readF64(be!, g.lse), lse, TOL_FWD);
    // junk in sequence 1's padding rows t >= 4 must leave its real rows bit-identical
    const kJunk = k.slice();
    const vJunk = v.slice();
    for (let t = 4; t < T; t++) {
      for (let i = 0; i < KVH * D; i++) {
        kJunk[(T + t) * KVH * D + i] = 1e4 * rng.normal();
        vJunk[(T + t) * KVH * D + i] = 1e4 * rng.normal();
      }
    }
    be!.uploadFloat(g.k, Float32Array.from(kJunk));
    be!.uploadFloat(g.v, Float32Array.from(vJunk));
    attentionForward(be!.ctx, g.out, g.lse, g.q, g.k, g.v, B, T, NH, KVH, D, opts);
    const second = await readF64(be!, g.out);
    const real = (T + 4) * NH * D; // sequence 0 and the first 4 rows of sequence 1
    expect(second.subarray(0, real)).toEqual(first.subarray(0, real));
    freeAll(be!, ...Object.values(g));
  });
});
