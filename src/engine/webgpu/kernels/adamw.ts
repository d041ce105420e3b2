// AdamW on WebGPU, the twin of cpu/adamw.ts (PyTorch semantics), in place over one region of the flat
// parameter buffer. The step constants (bias corrections, decay) are computed on the host in f64 and passed
// as f32 uniforms; the per-element update runs in f32.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d } from './dispatch-util.ts';
import code from './adamw.wgsl?raw';

const ADAMW: KernelSpec = { name: 'adamw', code, bindings: ['read', 'rw', 'rw', 'rw'] };
const WG = 256;

/** param, grad, m, v: [P] (same length). t >= 1 is the step number used for bias correction (beta^t). */
export function adamw(
  ctx: GpuContext,
  param: GpuTensor,
  grad: GpuTensor,
  m: GpuTensor,
  v: GpuTensor,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  t: number,
): void {
  const P = param.length;
  if (grad.length !== P || m.length !== P || v.length !== P) {
    throw new RangeError(`adamw: length mismatch (param ${P}, grad ${grad.length}, m ${m.length}, v ${v.length})`);
  }
  if (!(t >= 1)) throw new RangeError(`adamw: step t must be >= 1, got ${t}`);
  ctx.dispatch(
    ADAMW,
    [grad, param, m, v],
    [
      ['u32', P],
      ['f32', beta1],
      ['f32', beta2],
      ['f32', 1 - beta1],
      ['f32', 1 - beta2],
      ['f32', eps],
      ['f32', 1 - lr * weightDecay],
      ['f32', lr / (1 - Math.pow(beta1, t))],
      ['f32', Math.sqrt(1 - Math.pow(beta2, t))],
    ],
    grid1d(P, WG),
    { WG },
  );
}
