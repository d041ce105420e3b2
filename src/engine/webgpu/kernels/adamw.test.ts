// WebGPU AdamW vs its CPU twin (cpu/adamw.ts on Float32Array storage) over several steps with weight decay.
// The GPU runs the update in f32 with f32 step constants, the CPU in f64 with f32 storage: tolerance 1e-6
// normwise on param, m and v (a few f32 ulps; a wrong bias correction or decay term is off by 1e-3 or more).
import { describe, it } from 'vitest';
import { adamw } from '../../cpu/adamw.ts';
import { expectClose, randn, Rng } from '../../cpu/testing.ts';
import { testBackend } from '../testing.ts';
import { gpuFloats } from './test-helpers.ts';

const TOL = 1e-6;

describe('webgpu adamw', async () => {
  const be = await testBackend();
  const upload = (a: Float32Array) => gpuFloats(be!, a);

  for (const P of [1, 1000]) {
    it.skipIf(!be)(`matches the CPU over 3 steps (P=${P})`, async () => {
      const rng = new Rng(P, 3);
      const param = Float32Array.from(randn(rng, P));
      const m = new Float32Array(P);
      const v = new Float32Array(P);
      const [gParam, gGrad, gM, gV] = [upload(param), be!.allocFloat(P), be!.allocFloat(P), be!.allocFloat(P)];
      for (let t = 1; t <= 3; t++) {
        const grad = Float32Array.from(randn(rng, P, 0.1));
        be!.uploadFloat(gGrad, grad);
        adamw(param, grad, m, v, 1e-3, 0.9, 0.999, 1e-8, 0.1, t);
        be!.adamw(gParam, gGrad, gM, gV, 1e-3, 0.9, 0.999, 1e-8, 0.1, t);
      }
      expectClose('param', await be!.readFloat(gParam), param, TOL);
      expectClose('m', await be!.readFloat(gM), m, TOL);
      expectClose('v', await be!.readFloat(gV), v, TOL);
      for (const t of [gParam, gGrad, gM, gV]) be!.free(t);
    });
  }
});
