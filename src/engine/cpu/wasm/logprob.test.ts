// The wasm fused log-prob head (./logprob.ts) against the TypeScript head (../logprob.ts) in f64 (checked against
// naive log-softmax and finite differences in ../logprob.test.ts). The wasm tiles hold f32 logits summed in f32:
// each z[n,v] is off by at most e_n = ((C + 2) max_v sum_c |h w| + |z|) u / temperature (u = 2^-24), so
// lse = log sum exp z moves by at most e_n and logp = z_t - lse by 2 e_n; the tolerance is that bound times 1.5
// (for the f32 exp4, a few ulps of each term, and the f32 output's own rounding). The gradients dh, dwlm are sums of f32 products of such
// values; they are compared normwise at 1e-5 (f32 sums of ~V or ~N terms of unit size give ~1e-6).
import { describe, expect, it } from 'vitest';
import { logprobBackward, logprobForward, ROW_BLOCK } from '../logprob.ts';
import { maxDiff, randInts, Rng } from '../testing.ts';
import * as wa from './logprob.ts';

const U = 2 ** -24;

function randf(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

describe('logprob head on the wasm matmuls', () => {
  const cases = [
    { N: 1, C: 3, V: 5, T: 1 },
    { N: 7, C: 13, V: 300, T: 0.7 }, // V past one chunk, not a multiple of it
    { N: 70, C: 24, V: 515, T: 1.3 }, // more than one 64-row block
  ];
  for (const { N, C, V, T } of cases) {
    it(`forward and backward N=${N} C=${C} V=${V} temperature=${T}`, () => {
      const rng = new Rng(N * 7 + V, 3);
      const h = randf(rng, N * C);
      const w = randf(rng, V * C);
      const targets = randInts(rng, N, V);
      const dlogp = randf(rng, N);
      dlogp[0] = 0; // a masked token
      const f32 = () => [new Float32Array(N), new Float32Array(N), new Float32Array(N)];
      const f64 = () => [new Float64Array(N), new Float64Array(N), new Float64Array(N)];
      const [logp, lse, ent] = f32();
      wa.logprobForward(logp, lse, ent, h, w, targets, N, C, V, T);
      const [rlogp, rlse, rent] = f64();
      const [h64, w64] = [new Float64Array(h), new Float64Array(w)];
      logprobForward(rlogp, rlse, rent, h64, w64, targets, N, C, V, T);
      for (let n = 0; n < N; n++) {
        let absDot = 0;
        let zmax = 0;
        for (let v = 0; v < V; v++) {
          let a = 0;
          let z = 0;
          for (let c = 0; c < C; c++) {
            a += Math.abs(h[n * C + c] * w[v * C + c]);
            z += h[n * C + c] * w[v * C + c];
          }
          absDot = Math.max(absDot, a);
          zmax = Math.max(zmax, Math.abs(z));
        }
        const e = (((C + 2) * absDot + zmax) * U) / T;
        const out = (x: number) => 1.5 * (e + U * Math.abs(x));
        expect(Math.abs(lse[n] - rlse[n]), `lse row ${n}`).toBeLessThanOrEqual(out(rlse[n]));
        expect(Math.abs(logp[n] - rlogp[n]), `logp row ${n}`).toBeLessThanOrEqual(2 * out(rlogp[n]));
        expect(Math.abs(ent[n] - rent[n]), `entropy row ${n}`).toBeLessThanOrEqual(2 * out(rlse[n]) * (1 + zmax / T));
      }
      const dh = new Float32Array(N * C);
      const dw = new Float32Array(V * C);
      wa.logprobBackward(dh, dw, dlogp, h, w, targets, lse, N, C, V, T);
      const rdh = new Float64Array(N * C);
      const rdw = new Float64Array(V * C);
      logprobBackward(rdh, rdw, new Float64Array(dlogp), h64, w64, targets, rlse, N, C, V, T);
      expect(maxDiff(dh, rdh).rel, 'dh').toBeLessThan(1e-5);
      expect(maxDiff(dw, rdw).rel, 'dwlm').toBeLessThan(1e-5);
      for (let c = 0; c < C; c++) expect(dh[c], 'a masked row gets no gradient').toBe(0);
      // split as threads split it (parallel.ts): dh by rows on ROW_BLOCK, dwlm by vocabulary rows on 4
      const [sh, sw] = [new Float32Array(N * C), new Float32Array(V * C)];
      const nCut = N > ROW_BLOCK ? ROW_BLOCK : N;
      wa.logprobBackwardRange(sh, null, dlogp, h, w, targets, lse, C, T, 0, nCut, 0, V);
      wa.logprobBackwardRange(sh, null, dlogp, h, w, targets, lse, C, T, nCut, N, 0, V);
      const vCut = Math.min(V, 4 * Math.ceil(V / 12));
      wa.logprobBackwardRange(null, sw, dlogp, h, w, targets, lse, C, T, 0, N, vCut, V);
      wa.logprobBackwardRange(null, sw, dlogp, h, w, targets, lse, C, T, 0, N, 0, vCut);
      expect(sh).toEqual(dh);
      expect(sw).toEqual(dw);
    });
  }
});
