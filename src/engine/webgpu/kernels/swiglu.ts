// STUB: WebGPU kernels for swiglu; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function swigluForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU swigluForward: not implemented yet');
}

export function swigluBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU swigluBackward: not implemented yet');
}

