// STUB: WebGPU kernels for logprob; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function logprobForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU logprobForward: not implemented yet');
}

export function logprobBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU logprobBackward: not implemented yet');
}

