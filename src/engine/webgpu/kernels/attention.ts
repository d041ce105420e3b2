// STUB: WebGPU kernels for attention; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function attentionForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU attentionForward: not implemented yet');
}

export function attentionBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU attentionBackward: not implemented yet');
}

