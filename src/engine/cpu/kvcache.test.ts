import { describe, expect, it } from 'vitest';
import { attentionForward } from './attention.ts';
import { decodeAttention, kvCacheGather, kvCacheWrite } from './kvcache.ts';
import { expectClose, randn, Rng } from './testing.ts';

describe('kv cache and decode attention', () => {
  const B = 2;
  const T = 6;
  const NH = 4;
  const KVH = 2;
  const D = 4;
  const maxT = 8;
  const W = KVH * D;

  it('kvCacheWrite puts token (b, s) at cache row cacheRow[b], position pos[b*S+s]', () => {
    const S = 2;
    const rng = new Rng(1, 8);
    const kNew = randn(rng, B * S * W);
    const vNew = randn(rng, B * S * W);
    const kCache = new Float64Array(3 * maxT * W).fill(-1);
    const vCache = new Float64Array(3 * maxT * W).fill(-1);
    const cacheRow = new Int32Array([2, 0]);
    const pos = new Int32Array([3, 4, 0, 7]);
    kvCacheWrite(kCache, vCache, kNew, vNew, cacheRow, pos, B, S, KVH, D, maxT);
    for (let b = 0; b < B; b++) {
      for (let s = 0; s < S; s++) {
        const dst = (cacheRow[b] * maxT + pos[b * S + s]) * W;
        const src = (b * S + s) * W;
        expectClose(`k ${b},${s}`, kCache.subarray(dst, dst + W), kNew.subarray(src, src + W), 0);
        expectClose(`v ${b},${s}`, vCache.subarray(dst, dst + W), vNew.subarray(src, src + W), 0);
      }
    }
    // everything else untouched
    let written = 0;
    for (let i = 0; i < kCache.length; i++) if (kCache[i] !== -1) written++;
    expect(written).toBe(B * S * W);
    expect(() => kvCacheWrite(kCache, vCache, kNew, vNew, cacheRow, new Int32Array([0, 1, 2, maxT]), B, S, KVH, D, maxT)).toThrow(/outside/);
    expect(() => kvCacheWrite(kCache, vCache, kNew, vNew, new Int32Array([3, 0]), pos, B, S, KVH, D, maxT)).toThrow(/outside/);
  });

  it('kvCacheGather copies positions [0, T) of the chosen source rows and leaves the rest', () => {
    const rng = new Rng(2, 8);
    const srcK = randn(rng, 2 * maxT * W);
    const srcV = randn(rng, 2 * maxT * W);
    const R = 3;
    const Tg = 5;
    const dstK = new Float64Array(R * maxT * W).fill(7);
    const dstV = new Float64Array(R * maxT * W).fill(7);
    const srcRow = new Int32Array([1, 0, 1]);
    kvCacheGather(dstK, dstV, srcK, srcV, srcRow, R, Tg, KVH, D, maxT);
    for (let r = 0; r < R; r++) {
      const d = r * maxT * W;
      const s = srcRow[r] * maxT * W;
      expectClose(`k row ${r}`, dstK.subarray(d, d + Tg * W), srcK.subarray(s, s + Tg * W), 0);
      expectClose(`v row ${r}`, dstV.subarray(d, d + Tg * W), srcV.subarray(s, s + Tg * W), 0);
      expect(dstK.subarray(d + Tg * W, d + maxT * W).every((x) => x === 7)).toBe(true);
      expect(dstV.subarray(d + Tg * W, d + maxT * W).every((x) => x === 7)).toBe(true);
    }
  });

  it('decodeAttention over a cache filled by kvCacheWrite equals attentionForward at the last real row', () => {
    const rng = new Rng(3, 8);
    const q = randn(rng, B * T * NH * D);
    const k = randn(rng, B * T * W);
    const v = randn(rng, B * T * W);
    const out = new Float64Array(B * T * NH * D);
    attentionForward(out, new Float64Array(B * NH * T), q, k, v, B, T, NH, KVH, D);

    // prefill the first T-1 tokens, then write the last one as a decode step would
    const kCache = new Float64Array(B * maxT * W);
    const vCache = new Float64Array(B * maxT * W);
    const rows = new Int32Array([0, 1]);
    const S = T - 1;
    const kPre = new Float64Array(B * S * W);
    const vPre = new Float64Array(B * S * W);
    const posPre = new Int32Array(B * S);
    const kLast = new Float64Array(B * W);
    const vLast = new Float64Array(B * W);
    for (let b = 0; b < B; b++) {
      kPre.set(k.subarray(b * T * W, (b * T + S) * W), b * S * W);
      vPre.set(v.subarray(b * T * W, (b * T + S) * W), b * S * W);
      for (let s = 0; s < S; s++) posPre[b * S + s] = s;
      kLast.set(k.subarray((b * T + S) * W, (b * T + T) * W), b * W);
      vLast.set(v.subarray((b * T + S) * W, (b * T + T) * W), b * W);
    }
    kvCacheWrite(kCache, vCache, kPre, vPre, rows, posPre, B, S, KVH, D, maxT);
    kvCacheWrite(kCache, vCache, kLast, vLast, rows, new Int32Array([T - 1, T - 1]), B, 1, KVH, D, maxT);

    // row 0 decodes its last token (len T); row 1 pretends its sequence has only 3 tokens (len 3)
    const len = new Int32Array([T, 3]);
    const qDec = new Float64Array(B * NH * D);
    const expected = new Float64Array(B * NH * D);
    for (let b = 0; b < B; b++) {
      const t = len[b] - 1;
      qDec.set(q.subarray((b * T + t) * NH * D, (b * T + t + 1) * NH * D), b * NH * D);
      expected.set(out.subarray((b * T + t) * NH * D, (b * T + t + 1) * NH * D), b * NH * D);
    }
    const got = new Float64Array(B * NH * D);
    decodeAttention(got, qDec, kCache, vCache, len, B, NH, KVH, D, maxT);
    expectClose('decode vs full attention', got, expected, 1e-13);
  });

  it('decodeAttention rejects a length beyond the cache', () => {
    const a = new Float64Array(B * maxT * W);
    expect(() => decodeAttention(new Float64Array(B * NH * D), new Float64Array(B * NH * D), a, a, new Int32Array([1, maxT + 1]), B, NH, KVH, D, maxT)).toThrow(/outside/);
  });
});
