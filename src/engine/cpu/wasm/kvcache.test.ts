// The wasm decodeAttention against its TypeScript twin (../kvcache.ts, checked against the full attention in
// ../kvcache.test.ts), in f64 on the same f32 inputs: scores sum D products and the output about L terms in
// f32, so the normwise tolerance is 4 (D + L) u (u = 2^-24). Rows of different lengths, one empty (zeros), and a
// split of the (row, head) pairs at an odd place, which must keep the bits.
import { describe, expect, it } from 'vitest';
import * as ts from '../kvcache.ts';
import { maxDiff, Rng } from '../testing.ts';
import * as wa from './kvcache.ts';

describe('wasm decodeAttention vs the TypeScript kernel', () => {
  for (const { NH, KVH, D, lens, maxT } of [
    { NH: 4, KVH: 2, D: 6, lens: [1, 5, 0], maxT: 7 },
    { NH: 6, KVH: 3, D: 16, lens: [33, 2, 17, 40], maxT: 40 },
  ]) {
    it(`NH=${NH} KVH=${KVH} D=${D} lens=${lens.join(',')}`, () => {
      const B = lens.length;
      const rng = new Rng(D * 10 + B, 13);
      const randf = (n: number) => Float32Array.from({ length: n }, () => rng.normal() * 1.5);
      const q = randf(B * NH * D);
      const kc = randf(B * maxT * KVH * D);
      const vc = randf(B * maxT * KVH * D);
      const len = Int32Array.from(lens);
      const out = new Float32Array(B * NH * D).fill(NaN);
      wa.decodeAttention(out, q, kc, vc, len, B, NH, KVH, D, maxT);
      const ref = new Float64Array(B * NH * D);
      ts.decodeAttention(ref, new Float64Array(q), new Float64Array(kc), new Float64Array(vc), len, B, NH, KVH, D, maxT);
      expect(maxDiff(out, ref).rel).toBeLessThanOrEqual(4 * (D + Math.max(...lens)) * 2 ** -24);
      const empty = lens.indexOf(0);
      if (empty >= 0) expect(Array.from(out.subarray(empty * NH * D, (empty + 1) * NH * D))).toEqual(new Array(NH * D).fill(0));
      const parts = new Float32Array(B * NH * D);
      const cut = NH + 1;
      wa.decodeAttentionRange(parts, q, kc, vc, len, NH, KVH, D, maxT, cut, B * NH);
      wa.decodeAttentionRange(parts, q, kc, vc, len, NH, KVH, D, maxT, 0, cut);
      expect(parts).toEqual(out);
      expect(() => wa.decodeAttention(out, q, kc, vc, Int32Array.from([maxT + 1, 0, 0, 0].slice(0, B)), B, NH, KVH, D, maxT)).toThrow(/outside/);
    });
  }
});
