// STUB: WebGPU kernels for embedding; to be replaced by the WGSL implementation (see backend.ts for the contract).
import type { GpuContext } from '../context.ts';

export function embeddingForward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU embeddingForward: not implemented yet');
}

export function embeddingBackward(_ctx: GpuContext, ..._args: unknown[]): never {
  throw new Error('WebGPU embeddingBackward: not implemented yet');
}

