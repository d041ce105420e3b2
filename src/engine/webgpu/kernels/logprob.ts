// The LM head + log-softmax + gather on the GPU (twin of ../../cpu/logprob.ts), never holding [N, V] logits: the
// vocabulary goes in chunks whose [N, span] logits fit a bounded scratch (LOGPROB_SCRATCH_FLOATS). Each chunk's
// logits come from the linear layer's own kernels (matmulForward: the tiled matmul, or matvec for a few rows), so
// the head is as fast as any projection. Forward: fold each chunk into per-segment online (max, sum, entropy)
// partials, then merge each row's partials in order. Backward: per chunk, recompute the logits, turn them into the
// gradient in place, then dh += G W_chunk and dwlm[chunk] += G^T h with the matmul kernels. Deterministic, no atomics.
// (The fused 32 x 32 tile kernel this replaced ran the 0.5B head 6x slower than the projections per multiply-add
// on SwiftShader: it did four times fewer multiply-adds per workgroup barrier than the tiled matmul.)
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, scratch, u32 } from './dispatch-util.ts';
import { matmulAddNN, matmulBackward, matmulForward } from './matmul.ts';
import foldCode from './logprob_fold.wgsl?raw';
import mergeCode from './logprob_forward_merge.wgsl?raw';
import softmaxCode from './logprob_backward_softmax.wgsl?raw';

const FOLD: KernelSpec = { name: 'logprob_fold', code: foldCode, bindings: ['rw', 'rw', 'read', 'read'] };
const MERGE: KernelSpec = { name: 'logprob_forward_merge', code: mergeCode, bindings: ['rw', 'rw', 'rw', 'read', 'read', 'read'] };
const SOFTMAX_GRAD: KernelSpec = { name: 'logprob_backward_softmax', code: softmaxCode, bindings: ['rw', 'read', 'read', 'read'] };

const WG = 64;
/** Logits one fold workgroup reduces (the kernel's SEG). */
const SEG = 1024;
/** Chunks start at multiples of this many vocabulary rows, so a chunk of wlm is a legal view (256-byte offsets). */
const CHUNK_ALIGN = 64;
/** The [N, span] logits chunk holds at most this many floats (32 MiB), unless N * CHUNK_ALIGN is more. */
export const LOGPROB_SCRATCH_FLOATS = 8 << 20;

function check(N: number, C: number, V: number, temperature: number): void {
  if (!(temperature > 0)) throw new RangeError(`logprob: temperature must be > 0, got ${temperature}`);
  if (N > 65535) throw new RangeError(`logprob: N (${N}) too large`);
  if (V * C >= 2 ** 32 || N * C >= 2 ** 32) throw new RangeError(`logprob: V*C and N*C must stay below 2^32 elements`);
}

/** At most this many vocabulary rows per chunk: the matvec kernel's grid (4 rows a workgroup) stays under 65535. */
const MAX_SPAN = 131072;

/** Vocabulary rows per chunk: a multiple of CHUNK_ALIGN, the [N, span] chunk under spanFloats where it can be. */
function chunkSpan(N: number, V: number, spanFloats: number): number {
  const aligned = Math.min(Math.ceil(V / CHUNK_ALIGN), MAX_SPAN / CHUNK_ALIGN, Math.max(1, Math.floor(spanFloats / N / CHUNK_ALIGN)));
  return aligned * CHUNK_ALIGN;
}

/** The forward's partials: SEG-long segments of each chunk, numSplits per row in all. */
function splits(N: number, V: number, spanFloats: number): { span: number; segsPerChunk: number; numSplits: number } {
  const span = chunkSpan(N, V, spanFloats);
  const segsPerChunk = Math.ceil(span / SEG);
  return { span, segsPerChunk, numSplits: Math.ceil(V / span) * segsPerChunk };
}

/** Floats of the scratch tensors logprobForward and logprobBackward keep for N rows (for the memory plan). */
export function logprobScratchFloats(N: number, V: number): { partials: number; zt: number; chunk: number } {
  const s = splits(N, V, LOGPROB_SCRATCH_FLOATS);
  return { partials: N * s.numSplits * 3, zt: N, chunk: N * s.span };
}

/** The chunk [v0, v0 + nv) of a [V, C] matrix, as a view. */
function rows(ctx: GpuContext, t: GpuTensor, v0: number, nv: number, C: number): GpuTensor {
  return v0 === 0 && t.length === nv * C ? t : ctx.view(t, v0 * C, nv * C);
}

/**
 * h[N,C], wlm[V,C], targets[N] (in [0, V); else logp is NaN) -> logp[N], lse[N], entropy[N] (overwritten),
 * z = (h[n] . wlm[v]) / temperature. `spanFloats` bounds the chunk scratch (tests shrink it to cross chunks).
 */
export function logprobForward(
  ctx: GpuContext,
  logp: GpuTensor,
  lse: GpuTensor,
  entropy: GpuTensor,
  h: GpuTensor,
  wlm: GpuTensor,
  targets: GpuTensor,
  N: number,
  C: number,
  V: number,
  temperature: number,
  spanFloats: number = LOGPROB_SCRATCH_FLOATS,
): void {
  check(N, C, V, temperature);
  if (N === 0) return;
  const { span, segsPerChunk, numSplits } = splits(N, V, spanFloats);
  const partials = scratch(ctx, 'logprob.partials', N * numSplits * 3);
  const zt = scratch(ctx, 'logprob.zt', N);
  const Z = scratch(ctx, 'logprob.chunk', N * span);
  for (let v0 = 0, k = 0; v0 < V; v0 += span, k++) {
    const nv = Math.min(span, V - v0);
    // Z[N, nv] = h @ wlm[v0 : v0 + nv]^T
    matmulForward(ctx, Z, h, rows(ctx, wlm, v0, nv, C), null, N, C, nv);
    // a chunk shorter than span leaves its last segments empty: they fold nothing, (MASKED, 0, 0)
    ctx.dispatch(
      FOLD,
      [partials, zt, Z, targets],
      [u32(N), u32(nv), u32(v0), u32(k * segsPerChunk), u32(numSplits), ['f32', temperature]],
      [segsPerChunk, N],
      { WG, SEG },
    );
  }
  ctx.dispatch(MERGE, [logp, lse, entropy, partials, zt, targets], [u32(N), u32(numSplits), u32(V)], grid1d(N, WG), { WG });
}

/**
 * dlogp[N], h[N,C], wlm[V,C], targets[N], lse[N] -> dh[N,C] +=, dwlm[V,C] +=, with
 * g[n,v] = dlogp[n] (onehot(target)[v] - softmax(z)[n,v]) / temperature recomputed chunk by chunk.
 * `spanFloats` bounds the chunk scratch (a tuning knob; tests shrink it to cross chunk boundaries).
 */
export function logprobBackward(
  ctx: GpuContext,
  dh: GpuTensor,
  dwlm: GpuTensor | null,
  dlogp: GpuTensor,
  h: GpuTensor,
  wlm: GpuTensor,
  targets: GpuTensor,
  lse: GpuTensor,
  N: number,
  C: number,
  V: number,
  temperature: number,
  spanFloats: number = LOGPROB_SCRATCH_FLOATS,
): void {
  check(N, C, V, temperature);
  if (N === 0 || V === 0) return;
  const span = chunkSpan(N, V, spanFloats);
  const G = scratch(ctx, 'logprob.chunk', N * span);
  for (let v0 = 0; v0 < V; v0 += span) {
    const nv = Math.min(span, V - v0);
    const w = rows(ctx, wlm, v0, nv, C);
    matmulForward(ctx, G, h, w, null, N, C, nv);
    ctx.dispatch(SOFTMAX_GRAD, [G, targets, lse, dlogp], [u32(N), u32(nv), u32(v0), ['f32', temperature]], grid1d(N * nv, WG), { WG });
    // dh[N, C] += G[N, nv] @ wlm[v0 : v0 + nv, C]
    matmulAddNN(ctx, dh, G, w, N, nv, C);
    // dwlm[v0 : v0 + nv, C] += G^T @ h (none for a frozen head)
    if (dwlm) matmulBackward(ctx, null, rows(ctx, dwlm, v0, nv, C), null, G, h, w, N, C, nv);
  }
}
