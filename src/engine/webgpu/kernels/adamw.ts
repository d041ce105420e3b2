// STUB: WebGPU kernels for adamw; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function adamw(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU adamw: not implemented yet');
}

