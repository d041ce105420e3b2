// Elementwise kernels on WebGPU, the twins of cpu/elementwise.ts: add (overwrites out), accumulate (adds),
// scale (in place), and sumSquares, a deterministic two-pass reduction whose single f32 result is read back.
// Lengths come from the tensors; where two meet they must match, as on the CPU.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, scratch } from './dispatch-util.ts';
import addCode from './add.wgsl?raw';
import accumulateCode from './accumulate.wgsl?raw';
import scaleCode from './scale.wgsl?raw';
import sumSquaresCode from './sum_squares.wgsl?raw';
import sumSquaresFinalCode from './sum_squares_final.wgsl?raw';

const ADD: KernelSpec = { name: 'add', code: addCode, bindings: ['read', 'read', 'rw'] };
const ACCUMULATE: KernelSpec = { name: 'accumulate', code: accumulateCode, bindings: ['read', 'rw'] };
const SCALE: KernelSpec = { name: 'scale', code: scaleCode, bindings: ['rw'] };
const SUM_SQUARES: KernelSpec = { name: 'sum_squares', code: sumSquaresCode, bindings: ['read', 'rw'] };
const SUM_SQUARES_FINAL: KernelSpec = { name: 'sum_squares_final', code: sumSquaresFinalCode, bindings: ['read', 'rw'] };
const WG = 256;
/**
 * The first sumSquares pass: at most SUM_GROUPS workgroups, each thread summing at least SUM_RUN elements
 * (grid-stride), so few workgroups (and their barriers) for small inputs and enough to fill a GPU for large.
 */
const SUM_GROUPS = 512;
const SUM_RUN = 16;
const SUM_WG = 64; // small workgroups: SwiftShader (the CI's WebGPU) pays per invocation at every barrier

function sameLength(what: string, a: GpuTensor, b: GpuTensor): void {
  if (a.length !== b.length) throw new RangeError(`${what}: length mismatch (${a.length} vs ${b.length})`);
}

/** out = a + b (out must not alias a or b). */
export function add(ctx: GpuContext, out: GpuTensor, a: GpuTensor, b: GpuTensor): void {
  sameLength('add', a, b);
  sameLength('add', out, a);
  ctx.dispatch(ADD, [a, b, out], [['u32', out.length]], grid1d(out.length, WG), { WG });
}

/** acc += x */
export function accumulate(ctx: GpuContext, acc: GpuTensor, x: GpuTensor): void {
  sameLength('accumulate', acc, x);
  ctx.dispatch(ACCUMULATE, [x, acc], [['u32', acc.length]], grid1d(acc.length, WG), { WG });
}

/** x *= s */
export function scale(ctx: GpuContext, x: GpuTensor, s: number): void {
  ctx.dispatch(SCALE, [x], [['u32', x.length], ['f32', s]], grid1d(x.length, WG), { WG });
}

/** sum(x^2), accumulated in f32 on the GPU (per-thread runs, then fixed trees: deterministic for a given length). */
/** Partial sums sumSquares keeps for a tensor of `length` (for the memory plan). */
export function sumSquaresPartials(length: number): number {
  return Math.min(SUM_GROUPS, Math.ceil(length / (SUM_WG * SUM_RUN)));
}

export async function sumSquares(ctx: GpuContext, x: GpuTensor): Promise<number> {
  if (x.length === 0) return 0;
  const G = sumSquaresPartials(x.length);
  const partial = scratch(ctx, 'sum_squares_partial', G, 'f32');
  const total = scratch(ctx, 'sum_squares_total', 1, 'f32');
  ctx.dispatch(SUM_SQUARES, [x, partial], [['u32', x.length]], [G], { WG: SUM_WG });
  ctx.dispatch(SUM_SQUARES_FINAL, [partial, total], [['u32', G]], [1], { WG: SUM_WG });
  return new Float32Array(await ctx.read(ctx.view(total, 0, 1)))[0];
}
