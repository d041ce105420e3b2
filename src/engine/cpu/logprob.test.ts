import { describe, expect, it } from 'vitest';
import { LOGPROB_CHUNK, logprobBackward, logprobForward } from './logprob.ts';
import { dotSum, expectClose, expectDoubled, gradCheck, randInts, randn, Rng } from './testing.ts';

/** Reference: full logits [N,V], log_softmax, gather, entropy. */
function naiveLogprob(h: Float64Array, w: Float64Array, targets: Int32Array, N: number, C: number, V: number, temperature: number) {
  const logp = new Float64Array(N);
  const lse = new Float64Array(N);
  const entropy = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const z: number[] = [];
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += h[n * C + c] * w[v * C + c];
      z.push(s / temperature);
    }
    const max = Math.max(...z);
    const l = max + Math.log(z.reduce((a, x) => a + Math.exp(x - max), 0));
    lse[n] = l;
    logp[n] = z[targets[n]] - l;
    entropy[n] = -z.reduce((a, x) => a + Math.exp(x - l) * (x - l), 0);
  }
  return { logp, lse, entropy };
}

describe('logprob (fused LM head + log-softmax + gather)', () => {
  const cases = [
    { N: 3, C: 5, V: 11, T: 1, chunk: 4 }, // V not a multiple of the chunk
    { N: 3, C: 5, V: 11, T: 0.7, chunk: 4 }, // temperature != 1
    { N: 70, C: 6, V: LOGPROB_CHUNK + 45, T: 1.3, chunk: LOGPROB_CHUNK }, // default chunk, > one row block
  ];
  for (const { N, C, V, T, chunk } of cases) {
    it(`forward matches naive log_softmax, lse and entropy (N=${N}, V=${V}, chunk=${chunk}, temperature=${T})`, () => {
      const rng = new Rng(N + V, 7);
      const h = randn(rng, N * C);
      const w = randn(rng, V * C);
      const targets = randInts(rng, N, V);
      targets.set([chunk - 1, chunk, V - 1]); // chunk edges
      const logp = new Float64Array(N);
      const lse = new Float64Array(N);
      const entropy = new Float64Array(N);
      logprobForward(logp, lse, entropy, h, w, targets, N, C, V, T, chunk);
      const ref = naiveLogprob(h, w, targets, N, C, V, T);
      expectClose('logp', logp, ref.logp, 1e-12);
      expectClose('lse', lse, ref.lse, 1e-12);
      expectClose('entropy', entropy, ref.entropy, 1e-12);
    });
  }

  it('is stable for large logits, and runs in f32', () => {
    const N = 4;
    const C = 8;
    const V = 37;
    const rng = new Rng(1, 7);
    const h = randn(rng, N * C, 30);
    const w = randn(rng, V * C, 3);
    const targets = randInts(rng, N, V);
    const ref = naiveLogprob(h, w, targets, N, C, V, 1);
    const logp = new Float64Array(N);
    const lse = new Float64Array(N);
    const entropy = new Float64Array(N);
    logprobForward(logp, lse, entropy, h, w, targets, N, C, V, 1, 8);
    expectClose('logp', logp, ref.logp, 1e-12);
    expectClose('entropy', entropy, ref.entropy, 1e-10);
    const h32 = new Float32Array(randn(rng, N * C));
    const w32 = new Float32Array(randn(rng, V * C));
    const ref32 = naiveLogprob(new Float64Array(h32), new Float64Array(w32), targets, N, C, V, 0.9);
    const logp32 = new Float32Array(N);
    const lse32 = new Float32Array(N);
    const ent32 = new Float32Array(N);
    logprobForward(logp32, lse32, ent32, h32, w32, targets, N, C, V, 0.9);
    expectClose('f32 logp', logp32, ref32.logp, 1e-5);
    expectClose('f32 entropy', ent32, ref32.entropy, 1e-5);
  });

  for (const { N, C, V, T, chunk } of cases.slice(0, 2)) {
    it(`gradient check of dh and dwlm, and backward adds (temperature=${T}, chunk=${chunk})`, () => {
      const rng = new Rng(2 + N, 7);
      const h = randn(rng, N * C);
      const w = randn(rng, V * C);
      const targets = new Int32Array([3, 4, 10]); // chunk edges: last of chunk 0, first of chunk 1, last of vocab
      const R = randn(rng, N);
      R[1] = 0; // a masked token contributes nothing
      const logp = new Float64Array(N);
      const lse = new Float64Array(N);
      const entropy = new Float64Array(N);
      const loss = () => {
        logprobForward(logp, lse, entropy, h, w, targets, N, C, V, T, chunk);
        return dotSum(logp, R);
      };
      loss();
      const dh = new Float64Array(N * C);
      const dw = new Float64Array(V * C);
      logprobBackward(dh, dw, R, h, w, targets, lse, N, C, V, T, chunk);
      const once = [dh.slice(), dw.slice()];
      logprobBackward(dh, dw, R, h, w, targets, lse, N, C, V, T, chunk);
      expectDoubled('dh', once[0], dh);
      expectDoubled('dwlm', once[1], dw);
      gradCheck('dh', loss, h, once[0]);
      gradCheck('dwlm', loss, w, once[1]);
    });
  }

  it('backward with the default chunk matches a small chunk', () => {
    const N = 5;
    const C = 4;
    const V = LOGPROB_CHUNK + 3;
    const rng = new Rng(9, 7);
    const h = randn(rng, N * C);
    const w = randn(rng, V * C);
    const targets = randInts(rng, N, V);
    const R = randn(rng, N);
    const lse = naiveLogprob(h, w, targets, N, C, V, 0.8).lse;
    const dh1 = new Float64Array(N * C);
    const dw1 = new Float64Array(V * C);
    logprobBackward(dh1, dw1, R, h, w, targets, lse, N, C, V, 0.8);
    const dh2 = new Float64Array(N * C);
    const dw2 = new Float64Array(V * C);
    logprobBackward(dh2, dw2, R, h, w, targets, lse, N, C, V, 0.8, 7);
    expectClose('dh', dh1, dh2, 1e-13);
    expectClose('dwlm', dw1, dw2, 1e-13);
  });

  it('throws on a target outside the vocabulary', () => {
    const N = 2;
    const C = 3;
    const V = 5;
    const h = new Float64Array(N * C);
    const w = new Float64Array(V * C);
    const a = new Float64Array(N);
    expect(() => logprobForward(a, a.slice(), a.slice(), h, w, new Int32Array([0, V]), N, C, V, 1)).toThrow(/outside/);
    expect(() => logprobForward(a, a.slice(), a.slice(), h, w, new Int32Array([-1, 0]), N, C, V, 1)).toThrow(/outside/);
    expect(() => logprobBackward(h.slice(), w.slice(), a, h, w, new Int32Array([0, V]), a.slice(), N, C, V, 1)).toThrow(/outside/);
  });
});
