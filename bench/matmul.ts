// Matmul GFLOP/s on WebGPU: out[N,OC] = inp[N,C] @ weight[OC,C]^T (the NT form of a linear layer's forward),
// our kernel against tf.matMul(inp, weight, false, true) on TF.js's webgpu backend. Both outputs are first
// checked against our CPU backend; a timed call records `reps` matmuls and waits for the GPU once.
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ModelDims } from '../src/engine/config.ts';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { Rng } from '../src/engine/rng.ts';
import type { WebGpuBackend } from '../src/engine/webgpu/backend.ts';
import type { GpuTensor } from '../src/engine/webgpu/tensor.ts';
import { maxAbsDiff } from './check.ts';
import { tfWebGpuSync } from './tfjs-webgpu.ts';

export interface MatmulShape {
  name: string;
  N: number;
  C: number;
  OC: number;
}

export const flopsOf = (s: MatmulShape): number => 2 * s.N * s.C * s.OC;

/** The model's linear layer with the most multiply-adds per token, at N rows (ties: the first listed). */
export function largestLinear(d: ModelDims, N: number): MatmulShape {
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  const layers: [string, number, number][] = [
    ['mlp gate/up', d.C, d.F],
    ['mlp down', d.F, d.C],
    ['attn q', d.C, QD],
    ['attn o', QD, d.C],
    ['attn k/v', d.C, KD],
  ];
  const [label, C, OC] = layers.reduce((best, l) => (l[1] * l[2] > best[1] * best[2] ? l : best));
  return { name: `${label}, the model's largest`, N, C, OC };
}

export interface MatmulInputs {
  x: Float32Array; // [N,C]
  w: Float32Array; // [OC,C]
  expected: Float32Array; // [N,OC] from the CPU backend
}

export function matmulInputs(s: MatmulShape, seed: number): MatmulInputs {
  const rng = new Rng(seed, 104);
  const x = Float32Array.from({ length: s.N * s.C }, () => rng.normal());
  const w = Float32Array.from({ length: s.OC * s.C }, () => rng.normal() / Math.sqrt(s.C));
  const expected = new Float32Array(s.N * s.OC);
  new CpuBackend().matmulForward(expected, x, w, null, s.N, s.C, s.OC);
  return { x, w, expected };
}

/** A timed matmul: check() compares its output with the CPU backend, run(reps) records and awaits reps matmuls. */
export interface MatmulRunner {
  check(): Promise<number>;
  run(reps: number): Promise<void>;
  dispose(): void;
}

export function oursMatmul(be: WebGpuBackend, s: MatmulShape, inp: MatmulInputs): MatmulRunner {
  const x = be.allocFloat(s.N * s.C);
  const w = be.allocFloat(s.OC * s.C);
  const y: GpuTensor = be.allocFloat(s.N * s.OC);
  be.uploadFloat(x, inp.x);
  be.uploadFloat(w, inp.w);
  return {
    async check() {
      be.matmulForward(y, x, w, null, s.N, s.C, s.OC);
      return maxAbsDiff(await be.readFloat(y), inp.expected);
    },
    async run(reps) {
      for (let i = 0; i < reps; i++) be.matmulForward(y, x, w, null, s.N, s.C, s.OC);
      await be.sync();
    },
    dispose() {
      for (const t of [x, w, y]) be.free(t);
    },
  };
}

export function tfMatmul(backend: WebGPUBackend, s: MatmulShape, inp: MatmulInputs): MatmulRunner {
  const x = tf.tensor2d(inp.x, [s.N, s.C]);
  const w = tf.tensor2d(inp.w, [s.OC, s.C]);
  return {
    async check() {
      const y = tf.matMul(x, w, false, true);
      const diff = maxAbsDiff(await y.data(), inp.expected);
      y.dispose();
      return diff;
    },
    async run(reps) {
      // Each call makes a new output tensor (TF.js has no out= form); disposing it returns the buffer to TF.js's pool.
      for (let i = 0; i < reps; i++) tf.matMul(x, w, false, true).dispose();
      await tfWebGpuSync(backend);
    },
    dispose() {
      tf.dispose([x, w]);
    },
  };
}
