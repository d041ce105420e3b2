// STUB: WebGPU kernels for matmul; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function matmulForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU matmulForward: not implemented yet');
}

export function matmulBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU matmulBackward: not implemented yet');
}

