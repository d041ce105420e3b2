// What the WebGPU backend adds to a memory plan: every tensor is a pooled buffer rounded up to the pool's size
// bucket (pool.ts bucketBytes, at least 16 bytes as context.ts allocates), and kernels keep grow-only scratch
// tensors (the log-prob chunks, reduction partials, the attention delta) sized by the largest call. The figures
// come from the kernels' own size functions, so the plan and the pool agree (lora-memory.test.ts checks it).
import type { ModelDims } from '../config.ts';
import type { MemoryPlanDevice } from '../memory.ts';
import { bucketBytes } from './pool.ts';
import { logprobScratchFloats } from './kernels/logprob.ts';
import { rmsnormScratchFloats } from './kernels/rmsnorm.ts';
import { sumSquaresPartials } from './kernels/elementwise.ts';

/** A tensor of `bytes` as the pool holds it. */
export function gpuBufferBytes(bytes: number): number {
  return bucketBytes(Math.max(bytes, 16));
}

/**
 * The WebGPU device model of a plan: bucketed buffers, plus the scratch a training step over B x T rows keeps
 * (`trainable` floats reduced by the gradient norm; `embeddingGrad` when the embedding trains, full fine-tuning).
 */
export function webgpuPlanDevice(d: ModelDims, B: number, T: number, trainable: number, embeddingGrad: boolean): MemoryPlanDevice {
  const N = B * T;
  const lp = logprobScratchFloats(N, d.V);
  const scratchFloats: Record<string, number> = {
    'logprob.partials': lp.partials,
    'logprob.zt': lp.zt,
    'logprob.chunk': lp.chunk,
    'attention.delta': B * T * d.NH,
    rmsnorm_dweight: Math.max(rmsnormScratchFloats(N, d.C), d.qkNorm ? rmsnormScratchFloats(N * d.NH, d.D) : 0),
    sum_squares_partial: sumSquaresPartials(trainable),
    sum_squares_total: 1,
    ...(embeddingGrad ? { embedding_links: 2 * N } : {}),
  };
  const scratchBytes = Object.values(scratchFloats).reduce((s, n) => s + gpuBufferBytes(4 * Math.max(n, 1)), 0);
  return { bufferBytes: gpuBufferBytes, scratchBytes };
}
