// RoPE on the GPU vs the CPU twin (angles in f64 there, f32 here): forward, inverse, large positions.
import { describe, expect, it } from 'vitest';
import * as cpu from '../../cpu/rope.ts';
import { expectClose, randInts, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { ropeBackward, ropeForward, ropeFrequencyTable } from './rope.ts';
import { asF32, gpuFloats, gpuInts, readF64 } from './test-helpers.ts';

const TOL = 2e-6; // normwise vs max |x|; measured <= 3e-7 on SwiftShader up to pos 2^20 (angle error a few 1e-7 turns)

describe('rope (WebGPU)', async () => {
  const be = await testBackend();

  it('splits each frequency into a + b + c with 12-bit a and b', () => {
    const t = ropeFrequencyTable(64, 1e6);
    for (let i = 0; i < 32; i++) {
      const g = 1 / Math.pow(1e6, (2 * i) / 64) / (2 * Math.PI);
      expect(Math.abs(t[3 * i] + t[3 * i + 1] + t[3 * i + 2] - g)).toBeLessThan(g * 1e-12);
      for (const part of [t[3 * i], t[3 * i + 1]]) {
        const m = part === 0 ? 0 : Math.abs(part) / 2 ** (Math.floor(Math.log2(Math.abs(part))) - 11);
        expect(Number.isInteger(m)).toBe(true); // at most 12 significant bits
      }
    }
  });

  const cases = [
    { N: 5, H: 3, D: 6, theta: 10000, maxPos: 8 },
    { N: 7, H: 2, D: 4, theta: 10000, maxPos: 5000 },
    { N: 9, H: 4, D: 64, theta: 1e6, maxPos: 40000 },
    { N: 1, H: 1, D: 128, theta: 500000, maxPos: 1 << 20 },
  ];
  for (const { N, H, D, theta, maxPos } of cases) {
    it.skipIf(!be)(`forward and backward match the CPU (N=${N}, H=${H}, D=${D}, theta=${theta}, pos < ${maxPos})`, async () => {
      const rng = new Rng(N * 100 + D, 21);
      const x = asF32(randn(rng, N * H * D));
      const pos = randInts(rng, N, maxPos);
      pos[0] = maxPos - 1;
      const gx = gpuFloats(be!, x);
      const gpos = gpuInts(be!, pos);
      ropeForward(be!.ctx, gx, gpos, N, H, D, theta);
      const fwd = await readF64(be!, gx);
      const ref = x.slice();
      cpu.ropeForward(ref, pos, N, H, D, theta);
      expectClose('rope forward', fwd, ref, TOL);
      ropeBackward(be!.ctx, gx, gpos, N, H, D, theta);
      const back = await readF64(be!, gx);
      cpu.ropeBackward(ref, pos, N, H, D, theta);
      expectClose('rope backward(forward(x))', back, ref, TOL);
      expectClose('rope backward(forward(x)) = x', back, x, 2 * TOL);
      be!.free(gx);
      be!.free(gpos);
    });
  }
});
