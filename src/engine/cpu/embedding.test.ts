import { describe, expect, it } from 'vitest';
import { embeddingBackward, embeddingForward } from './embedding.ts';
import { dotSum, expectClose, expectDoubled, gradCheck, randn, Rng } from './testing.ts';

describe('embedding', () => {
  const N = 5;
  const C = 3;
  const V = 4;
  const tokens = new Int32Array([2, 0, 2, 3, 2]); // repeated tokens must accumulate

  it('forward copies rows of wte', () => {
    const rng = new Rng(1, 1);
    const wte = randn(rng, V * C);
    const out = new Float64Array(N * C);
    embeddingForward(out, tokens, wte, N, C);
    for (let n = 0; n < N; n++) expectClose(`row ${n}`, out.subarray(n * C, n * C + C), wte.subarray(tokens[n] * C, tokens[n] * C + C), 0);
  });

  it('gradient check of dwte, and backward adds', () => {
    const rng = new Rng(2, 1);
    const wte = randn(rng, V * C);
    const R = randn(rng, N * C);
    const out = new Float64Array(N * C);
    const loss = () => {
      embeddingForward(out, tokens, wte, N, C);
      return dotSum(out, R);
    };
    const dwte = new Float64Array(V * C);
    embeddingBackward(dwte, R, tokens, N, C);
    gradCheck('dwte', loss, wte, dwte);
    const once = dwte.slice();
    embeddingBackward(dwte, R, tokens, N, C);
    expectDoubled('dwte', once, dwte);
  });

  it('throws on a token outside the vocabulary', () => {
    const wte = new Float64Array(V * C);
    const out = new Float64Array(C);
    expect(() => embeddingForward(out, new Int32Array([V]), wte, 1, C)).toThrow(/outside/);
    expect(() => embeddingForward(out, new Int32Array([-1]), wte, 1, C)).toThrow(/outside/);
    expect(() => embeddingBackward(wte, out, new Int32Array([V]), 1, C)).toThrow(/outside/);
  });
});
