import { describe, expect, it } from 'vitest';
import { swigluBackward, swigluForward } from './swiglu.ts';
import { dotSum, expectClose, gradCheck, randn, Rng } from './testing.ts';

describe('swiglu', () => {
  const N = 3;
  const F = 5;

  it('forward is silu(gate) * up', () => {
    const gate = new Float64Array([0, 1, -2, 30, -800, 0.5]);
    const up = new Float64Array([1, 2, 3, 1, 1, -1]);
    const out = new Float64Array(6);
    swigluForward(out, gate, up, 1, 6);
    const silu = (x: number) => x * (1 / (1 + Math.exp(-x)));
    expectClose('out', out, Array.from(gate, (g, i) => silu(g) * up[i]), 1e-15);
    expect(Number.isFinite(out[4])).toBe(true);
  });

  it('gradient check of dgate and dup; backward overwrites', () => {
    const rng = new Rng(1, 3);
    const gate = randn(rng, N * F, 2);
    const up = randn(rng, N * F);
    const R = randn(rng, N * F);
    const out = new Float64Array(N * F);
    const loss = () => {
      swigluForward(out, gate, up, N, F);
      return dotSum(out, R);
    };
    const dgate = new Float64Array(N * F).fill(123); // garbage: must be overwritten
    const dup = new Float64Array(N * F).fill(-7);
    swigluBackward(dgate, dup, R, gate, up, N, F);
    gradCheck('dgate', loss, gate, dgate);
    gradCheck('dup', loss, up, dup);
  });
});
