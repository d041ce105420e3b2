import { describe, it } from 'vitest';
import { attentionBackward, attentionForward } from './attention.ts';
import { dotSum, expectClose, gradCheck, randn, Rng } from './testing.ts';

/** Reference: the full masked softmax matrix per (b, h), then P @ V; also returns each row's logsumexp. */
function naiveAttention(q: Float64Array, k: Float64Array, v: Float64Array, B: number, T: number, NH: number, KVH: number, D: number) {
  const out = new Float64Array(B * T * NH * D);
  const lse = new Float64Array(B * NH * T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      const kh = Math.floor(h / (NH / KVH));
      const P: number[][] = [];
      for (let t = 0; t < T; t++) {
        const row: number[] = [];
        for (let s = 0; s < T; s++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += q[((b * T + t) * NH + h) * D + d] * k[((b * T + s) * KVH + kh) * D + d];
          row.push(s <= t ? dot / Math.sqrt(D) : -Infinity);
        }
        const max = Math.max(...row);
        const sum = row.reduce((a, x) => a + Math.exp(x - max), 0);
        lse[(b * NH + h) * T + t] = max + Math.log(sum);
        P.push(row.map((x) => Math.exp(x - max) / sum));
      }
      for (let t = 0; t < T; t++) {
        for (let d = 0; d < D; d++) {
          let s = 0;
          for (let j = 0; j < T; j++) s += P[t][j] * v[((b * T + j) * KVH + kh) * D + d];
          out[((b * T + t) * NH + h) * D + d] = s;
        }
      }
    }
  }
  return { out, lse };
}

describe('attention', () => {
  const B = 2;
  const T = 5;
  const NH = 4;
  const KVH = 2;
  const D = 4;
  const qLen = B * T * NH * D;
  const kvLen = B * T * KVH * D;

  it('forward matches the naive masked softmax (GQA), including lse', () => {
    const rng = new Rng(1, 6);
    const q = randn(rng, qLen, 2);
    const k = randn(rng, kvLen, 2);
    const v = randn(rng, kvLen);
    const out = new Float64Array(qLen);
    const lse = new Float64Array(B * NH * T);
    attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
    const ref = naiveAttention(q, k, v, B, T, NH, KVH, D);
    expectClose('out', out, ref.out, 1e-13);
    expectClose('lse', lse, ref.lse, 1e-13);
  });

  it('is stable for large scores', () => {
    const rng = new Rng(2, 6);
    const q = randn(rng, qLen, 100);
    const k = randn(rng, kvLen, 100);
    const v = randn(rng, kvLen);
    const out = new Float64Array(qLen);
    const lse = new Float64Array(B * NH * T);
    attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
    expectClose('out', out, naiveAttention(q, k, v, B, T, NH, KVH, D).out, 1e-12);
  });

  it('is causal: changing the token at position t (and right padding after it) leaves rows < t unchanged', () => {
    const rng = new Rng(3, 6);
    const q = randn(rng, qLen);
    const k = randn(rng, kvLen);
    const v = randn(rng, kvLen);
    const out1 = new Float64Array(qLen);
    const out2 = new Float64Array(qLen);
    const lse = new Float64Array(B * NH * T);
    attentionForward(out1, lse, q, k, v, B, T, NH, KVH, D);
    // sequence 1 has 3 real tokens; replace its padding rows (t >= 3) with junk in q, k and v
    const t0 = 3;
    for (let t = t0; t < T; t++) {
      for (let i = 0; i < NH * D; i++) q[((1 * T + t) * NH) * D + i] = 1000 * rng.normal();
      for (let i = 0; i < KVH * D; i++) {
        k[((1 * T + t) * KVH) * D + i] = 1000 * rng.normal();
        v[((1 * T + t) * KVH) * D + i] = 1000 * rng.normal();
      }
    }
    attentionForward(out2, lse, q, k, v, B, T, NH, KVH, D);
    const row = NH * D;
    expectClose('sequence 0', out2.subarray(0, T * row), out1.subarray(0, T * row), 0);
    expectClose('sequence 1, real rows', out2.subarray(T * row, (T + t0) * row), out1.subarray(T * row, (T + t0) * row), 0);
  });

  it('gradient check of dq, dk, dv (GQA); backward overwrites', () => {
    const rng = new Rng(4, 6);
    const q = randn(rng, qLen);
    const k = randn(rng, kvLen);
    const v = randn(rng, kvLen);
    const R = randn(rng, qLen);
    const out = new Float64Array(qLen);
    const lse = new Float64Array(B * NH * T);
    const loss = () => {
      attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
      return dotSum(out, R);
    };
    loss();
    const dq = new Float64Array(qLen).fill(5); // garbage: all three are overwritten
    const dk = new Float64Array(kvLen).fill(-3);
    const dv = new Float64Array(kvLen).fill(9);
    attentionBackward(dq, dk, dv, R, q, k, v, out, lse, B, T, NH, KVH, D);
    gradCheck('dq', loss, q, dq);
    gradCheck('dk', loss, k, dk);
    gradCheck('dv', loss, v, dv);
  });

  it('runs in f32 close to f64', () => {
    const rng = new Rng(5, 6);
    const q = randn(rng, qLen);
    const k = randn(rng, kvLen);
    const v = randn(rng, kvLen);
    const out = new Float32Array(qLen);
    const lse = new Float32Array(B * NH * T);
    const f = (x: Float64Array) => new Float32Array(x);
    attentionForward(out, lse, f(q), f(k), f(v), B, T, NH, KVH, D);
    const ref = naiveAttention(new Float64Array(f(q)), new Float64Array(f(k)), new Float64Array(f(v)), B, T, NH, KVH, D);
    expectClose('out', out, ref.out, 1e-6);
    expectClose('lse', lse, ref.lse, 1e-6);
  });
});
