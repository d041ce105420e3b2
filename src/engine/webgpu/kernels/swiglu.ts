// SwiGLU kernels on WebGPU, the twins of cpu/swiglu.ts: forward overwrites out, backward overwrites dgate
// and dup. Elementwise over N*F, one thread per element.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d } from './dispatch-util.ts';
import forwardCode from './swiglu_forward.wgsl?raw';
import backwardCode from './swiglu_backward.wgsl?raw';

const FORWARD: KernelSpec = { name: 'swiglu_forward', code: forwardCode, bindings: ['read', 'read', 'rw'] };
const BACKWARD: KernelSpec = { name: 'swiglu_backward', code: backwardCode, bindings: ['read', 'read', 'read', 'rw', 'rw'] };
const WG = 256;

function check(what: string, len: number, tensors: GpuTensor[]): void {
  for (const t of tensors) if (t.length < len) throw new RangeError(`${what}: a tensor of length ${t.length}, need ${len}`);
}

/** gate[N,F], up[N,F] -> out[N,F]. */
export function swigluForward(ctx: GpuContext, out: GpuTensor, gate: GpuTensor, up: GpuTensor, N: number, Fdim: number): void {
  const len = N * Fdim;
  check('swigluForward', len, [out, gate, up]);
  ctx.dispatch(FORWARD, [gate, up, out], [['u32', len]], grid1d(len, WG), { WG });
}

/** dout[N,F] -> dgate[N,F], dup[N,F] (overwrite). */
export function swigluBackward(
  ctx: GpuContext,
  dgate: GpuTensor,
  dup: GpuTensor,
  dout: GpuTensor,
  gate: GpuTensor,
  up: GpuTensor,
  N: number,
  Fdim: number,
): void {
  const len = N * Fdim;
  check('swigluBackward', len, [dgate, dup, dout, gate, up]);
  ctx.dispatch(BACKWARD, [dout, gate, up, dgate, dup], [['u32', len]], grid1d(len, WG), { WG });
}
