// RMSNorm kernels on WebGPU, the twins of cpu/rmsnorm.ts: forward overwrites out and rstd; backward adds into
// dinp (one workgroup per row) and dweight (a deterministic two-pass column reduction over row chunks).
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, scratch } from './dispatch-util.ts';
import forwardCode from './rmsnorm_forward.wgsl?raw';
import backwardCode from './rmsnorm_backward.wgsl?raw';
import backwardWeightCode from './rmsnorm_backward_weight.wgsl?raw';
import backwardWeightSumCode from './rmsnorm_backward_weight_sum.wgsl?raw';

const FORWARD: KernelSpec = { name: 'rmsnorm_forward', code: forwardCode, bindings: ['read', 'read', 'rw', 'rw'] };
const BACKWARD: KernelSpec = { name: 'rmsnorm_backward', code: backwardCode, bindings: ['read', 'read', 'read', 'read', 'rw'] };
const BACKWARD_WEIGHT: KernelSpec = {
  name: 'rmsnorm_backward_weight',
  code: backwardWeightCode,
  bindings: ['read', 'read', 'read', 'rw'],
};
const BACKWARD_WEIGHT_SUM: KernelSpec = { name: 'rmsnorm_backward_weight_sum', code: backwardWeightSumCode, bindings: ['read', 'rw'] };

const COLUMN_TILE = { BX: 32, BY: 2 };
const MAX_CHUNKS = 256; // row chunks of the weight-gradient reduction (partial sums kept: MAX_CHUNKS x C)

/**
 * Threads per row: about 8 elements per thread, 8 to 64, a power of two. Small workgroups because SwiftShader
 * (the CI's WebGPU) pays per invocation at every barrier: 256 threads per row ran 8x slower than 64 there.
 */
/** Rows per chunk (R) and chunks (G) of the dweight reduction over N rows. */
function weightChunks(N: number): { R: number; G: number } {
  const R = Math.max(64, Math.ceil(N / MAX_CHUNKS));
  return { R, G: Math.ceil(N / R) };
}

/** Floats of rmsnormBackward's scratch for N rows of C (for the memory plan). */
export function rmsnormScratchFloats(N: number, C: number): number {
  return weightChunks(N).G * C;
}

function rowThreads(C: number): number {
  return Math.min(64, Math.max(8, 2 ** Math.ceil(Math.log2(Math.max(C, 1) / 8))));
}

/** inp[N,C], weight[C] -> out[N,C], rstd[N] (both overwritten). */
export function rmsnormForward(
  ctx: GpuContext,
  out: GpuTensor,
  rstd: GpuTensor,
  inp: GpuTensor,
  weight: GpuTensor,
  N: number,
  C: number,
  eps: number,
): void {
  if (out.length < N * C || inp.length < N * C || rstd.length < N || weight.length < C) {
    throw new RangeError(`rmsnormForward: tensors too short for N=${N}, C=${C}`);
  }
  ctx.dispatch(FORWARD, [inp, weight, out, rstd], [['u32', N], ['u32', C], ['f32', eps]], grid1d(N, 1), {
    WG: rowThreads(C),
  });
}

/** dout[N,C], inp[N,C], weight[C], rstd[N] -> dinp[N,C] +=, dweight[C] +=. */
export function rmsnormBackward(
  ctx: GpuContext,
  dinp: GpuTensor,
  dweight: GpuTensor,
  dout: GpuTensor,
  inp: GpuTensor,
  weight: GpuTensor,
  rstd: GpuTensor,
  N: number,
  C: number,
): void {
  const short = [dinp, dout, inp].some((t) => t.length < N * C) || rstd.length < N || weight.length < C || dweight.length < C;
  if (short) {
    throw new RangeError(`rmsnormBackward: tensors too short for N=${N}, C=${C}`);
  }
  if (N === 0) return;
  ctx.dispatch(BACKWARD, [dout, inp, weight, rstd, dinp], [['u32', N], ['u32', C]], grid1d(N, 1), { WG: rowThreads(C) });

  // dweight: partial sums over chunks of R rows, then a sum over the chunks in order.
  const { R, G } = weightChunks(N);
  const partial = scratch(ctx, 'rmsnorm_dweight', G * C, 'f32');
  const columnBlocks = Math.ceil(C / COLUMN_TILE.BX);
  ctx.dispatch(BACKWARD_WEIGHT, [dout, inp, rstd, partial], [['u32', N], ['u32', C], ['u32', R]], [columnBlocks, G], COLUMN_TILE);
  ctx.dispatch(BACKWARD_WEIGHT_SUM, [partial, dweight], [['u32', C], ['u32', G]], grid1d(C, 64), { WG: 64 });
}
