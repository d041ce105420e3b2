// WebGPU SwiGLU kernels vs their CPU twins (cpu/swiglu.ts, run in f64 on the same f32 inputs), including
// large |gate| where a naive exp would overflow. Elementwise f32 math (exp, one division): tolerance 1e-6
// normwise (a few f32 ulps of the largest value).
import { describe, it } from 'vitest';
import { swigluBackward, swigluForward } from '../../cpu/swiglu.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { gpuFloats } from './test-helpers.ts';

const TOL = 1e-6;

describe('webgpu swiglu', async () => {
  const be = await testBackend();
  const upload = (a: Float32Array) => gpuFloats(be!, a);

  for (const [N, F] of [
    [1, 5],
    [37, 29],
  ]) {
    it.skipIf(!be)(`forward and backward N=${N} F=${F}, overwriting their outputs`, async () => {
      const rng = new Rng(N, F);
      const len = N * F;
      const gate = Float32Array.from(randn(rng, len, 3));
      gate[0] = -120; // exp(120) overflows f32
      if (len > 1) gate[1] = 95;
      const up = Float32Array.from(randn(rng, len));
      const dout = Float32Array.from(randn(rng, len));
      const [gGate, gUp, gDout] = [upload(gate), upload(up), upload(dout)];
      const junk = Float32Array.from({ length: len }, () => 7); // outputs are overwritten, not added to
      const [gOut, gDgate, gDup] = [upload(junk), upload(junk), upload(junk)];

      const out = new Float64Array(len);
      swigluForward(out, Float64Array.from(gate), Float64Array.from(up), N, F);
      be!.swigluForward(gOut, gGate, gUp, N, F);
      expectClose('out', await be!.readFloat(gOut), out, TOL);

      const dgate = new Float64Array(len);
      const dup = new Float64Array(len);
      swigluBackward(dgate, dup, Float64Array.from(dout), Float64Array.from(gate), Float64Array.from(up), N, F);
      be!.swigluBackward(gDgate, gDup, gDout, gGate, gUp, N, F);
      expectClose('dgate', await be!.readFloat(gDgate), dgate, TOL);
      expectClose('dup', await be!.readFloat(gDup), dup, TOL);
      for (const t of [gGate, gUp, gDout, gOut, gDgate, gDup]) be!.free(t);
    });
  }
});
