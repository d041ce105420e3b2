// STUB: WebGPU kernels for rmsnorm; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function rmsnormForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU rmsnormForward: not implemented yet');
}

export function rmsnormBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU rmsnormBackward: not implemented yet');
}

