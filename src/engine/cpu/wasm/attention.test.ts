// The wasm attention kernels against their TypeScript twins (../attention.ts, checked against a naive softmax and
// finite differences in ../attention.test.ts), run in f64 on the same f32 inputs. The wasm side sums in f32: a
// score has D products, an output row or a dq row about T terms, a dk/dv row T x group terms, so the normwise
// tolerance is 4 (D + terms) u (u = 2^-24) on each output; a wrong index is off by O(1). Ranges of heads (how
// threads split a call) must give the same bits as the whole call.
import { describe, expect, it } from 'vitest';
import * as ts from '../attention.ts';
import { maxDiff, Rng } from '../testing.ts';
import * as wa from './attention.ts';

const U = 2 ** -24;
const randf = (rng: Rng, n: number, scale = 1) => Float32Array.from({ length: n }, () => rng.normal() * scale);

function expectNormwise(what: string, actual: Float32Array, exact: Float64Array, terms: number): void {
  const { rel } = maxDiff(actual, exact);
  expect(rel, `${what}: normwise difference`).toBeLessThanOrEqual(4 * terms * U);
}

describe('wasm attention vs the TypeScript kernels', () => {
  const shapes = [
    { B: 1, T: 1, NH: 1, KVH: 1, D: 1 },
    { B: 2, T: 7, NH: 4, KVH: 2, D: 6 }, // D not a multiple of 4
    { B: 3, T: 13, NH: 6, KVH: 2, D: 8 },
    { B: 2, T: 33, NH: 4, KVH: 1, D: 16 }, // T past the 4-key blocks, one kv head for 4 query heads
  ];
  for (const { B, T, NH, KVH, D } of shapes) {
    it(`forward and backward B=${B} T=${T} NH=${NH} KVH=${KVH} D=${D}`, () => {
      const rng = new Rng(B * 100 + T, 11);
      const [qL, kL] = [B * T * NH * D, B * T * KVH * D];
      const q = randf(rng, qL, 1.5);
      const k = randf(rng, kL, 1.5);
      const v = randf(rng, kL);
      const dout = randf(rng, qL);
      const out = new Float32Array(qL);
      const lse = new Float32Array(B * NH * T);
      wa.attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
      const [q64, k64, v64] = [q, k, v].map((x) => new Float64Array(x));
      const rout = new Float64Array(qL);
      const rlse = new Float64Array(B * NH * T);
      ts.attentionForward(rout, rlse, q64, k64, v64, B, T, NH, KVH, D);
      expectNormwise('out', out, rout, D + T);
      expectNormwise('lse', lse, rlse, D + T);
      // head ranges split unevenly
      const [po, pl] = [new Float32Array(qL), new Float32Array(B * NH * T)];
      const cut = Math.max(1, Math.floor((B * NH) / 3));
      wa.attentionForwardRange(po, pl, q, k, v, T, NH, KVH, D, 0, cut);
      wa.attentionForwardRange(po, pl, q, k, v, T, NH, KVH, D, cut, B * NH);
      expect(po).toEqual(out);
      expect(pl).toEqual(lse);

      const [dq, dk, dv] = [new Float32Array(qL).fill(NaN), new Float32Array(kL).fill(NaN), new Float32Array(kL).fill(NaN)]; // overwritten
      wa.attentionBackward(dq, dk, dv, dout, q, k, v, out, lse, B, T, NH, KVH, D);
      const [rdq, rdk, rdv] = [new Float64Array(qL), new Float64Array(kL), new Float64Array(kL)];
      ts.attentionBackward(rdq, rdk, rdv, new Float64Array(dout), q64, k64, v64, new Float64Array(out), new Float64Array(lse), B, T, NH, KVH, D);
      const group = NH / KVH;
      expectNormwise('dq', dq, rdq, 2 * D + T);
      expectNormwise('dk', dk, rdk, 2 * D + T * group);
      expectNormwise('dv', dv, rdv, 2 * D + T * group);
      const [pq, pk, pv] = [new Float32Array(qL), new Float32Array(kL), new Float32Array(kL)];
      const kcut = Math.max(1, Math.floor((B * KVH) / 2));
      wa.attentionBackwardRange(pq, pk, pv, dout, q, k, v, out, lse, T, NH, KVH, D, kcut, B * KVH);
      wa.attentionBackwardRange(pq, pk, pv, dout, q, k, v, out, lse, T, NH, KVH, D, 0, kcut);
      expect(pq).toEqual(dq);
      expect(pk).toEqual(dk);
      expect(pv).toEqual(dv);
    });
  }
});
