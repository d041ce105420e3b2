// STUB: WebGPU kernels for kvcache; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function kvCacheWrite(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU kvCacheWrite: not implemented yet');
}

export function kvCacheGather(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU kvCacheGather: not implemented yet');
}

export function decodeAttention(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU decodeAttention: not implemented yet');
}

