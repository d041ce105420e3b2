// STUB: WebGPU kernels for rope; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function ropeForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU ropeForward: not implemented yet');
}

export function ropeBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU ropeBackward: not implemented yet');
}

