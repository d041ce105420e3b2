// STUB: WebGPU kernels for elementwise; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function add(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU add: not implemented yet');
}

export function accumulate(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU accumulate: not implemented yet');
}

export function scale(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU scale: not implemented yet');
}

export function sumSquares(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU sumSquares: not implemented yet');
}

