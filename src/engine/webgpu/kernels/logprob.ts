// The fused LM head + log-softmax + gather on the GPU (twin of ../../cpu/logprob.ts), never holding [N, V]
// logits. Forward: per (row tile, vocabulary split) workgroups fold 32 x 32 logits tiles into an online
// (max, sum, entropy) partial, then one pass merges the partials of each row in order. Backward: per span of
// the vocabulary, recompute the logits into the gradient G[N, span] (bounded scratch), then dh += G W_span and
// dwlm[span] += G^T h as tiled matmuls that reduce over their inner dimension in a fixed order. Deterministic,
// no atomics. Scratch buffers are cached per context.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, scratch, u32 } from './dispatch-util.ts';
import forwardCode from './logprob_forward.wgsl?raw';
import mergeCode from './logprob_forward_merge.wgsl?raw';
import gradCode from './logprob_backward_grad.wgsl?raw';
import matmulCode from './logprob_backward_matmul.wgsl?raw';
import tileCode from './logprob_tile.wgsl?raw';

const FORWARD: KernelSpec = { name: 'logprob_forward', code: tileCode + forwardCode, bindings: ['rw', 'rw', 'read', 'read', 'read'] };
const MERGE: KernelSpec = { name: 'logprob_forward_merge', code: mergeCode, bindings: ['rw', 'rw', 'rw', 'read', 'read', 'read'] };
const GRAD: KernelSpec = { name: 'logprob_backward_grad', code: tileCode + gradCode, bindings: ['rw', 'read', 'read', 'read', 'read', 'read'] };
const MATMUL: KernelSpec = { name: 'logprob_backward_matmul', code: matmulCode, bindings: ['rw', 'read', 'read'] };

const TILE = 32; // rows and vocabulary entries per tile (the kernels' TILE)
const WG = 64;
/** Forward: aim for about this many workgroups, splitting the vocabulary when there are few row tiles. */
const TARGET_WORKGROUPS = 1024;
/** Backward: the gradient scratch G[N, span] holds at most this many floats (32 MiB). */
export const LOGPROB_GRAD_SCRATCH_FLOATS = 8 << 20;

function check(N: number, C: number, V: number, temperature: number): void {
  if (!(temperature > 0)) throw new RangeError(`logprob: temperature must be > 0, got ${temperature}`);
  if (Math.ceil(N / TILE) > 65535 || Math.ceil(C / TILE) > 65535) throw new RangeError(`logprob: N (${N}) or C (${C}) too large`);
  if (V * C >= 2 ** 32 || N * C >= 2 ** 32) throw new RangeError(`logprob: V*C and N*C must stay below 2^32 elements`);
}

/** The forward's vocabulary split: numSplits splits of splitLen entries (a multiple of the tile). */
/** Vocabulary entries per backward chunk: the [N, span] gradient tile stays under spanFloats. */
function gradSpan(N: number, V: number, spanFloats: number): number {
  return Math.min(Math.ceil(V / TILE), Math.max(1, Math.floor(spanFloats / N / TILE))) * TILE;
}

/** Floats of the scratch tensors logprobForward and logprobBackward keep for N rows (for the memory plan). */
export function logprobScratchFloats(N: number, V: number): { partials: number; zt: number; grad: number } {
  return { partials: N * logprobSplits(N, V).numSplits * 3, zt: N, grad: N * gradSpan(N, V, LOGPROB_GRAD_SCRATCH_FLOATS) };
}

export function logprobSplits(N: number, V: number): { numSplits: number; splitLen: number } {
  const chunks = Math.ceil(V / TILE);
  const want = Math.min(chunks, 65535, Math.max(1, Math.ceil(TARGET_WORKGROUPS / Math.ceil(N / TILE))));
  const splitLen = Math.ceil(chunks / want) * TILE;
  return { numSplits: Math.ceil(V / splitLen), splitLen };
}

/**
 * h[N,C], wlm[V,C], targets[N] (in [0, V); else logp is NaN) -> logp[N], lse[N], entropy[N] (overwritten),
 * z = (h[n] . wlm[v]) / temperature.
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
): void {
  check(N, C, V, temperature);
  if (N === 0) return;
  const { numSplits, splitLen } = logprobSplits(N, V);
  const partials = scratch(ctx, 'logprob.partials', N * numSplits * 3);
  const zt = scratch(ctx, 'logprob.zt', N);
  ctx.dispatch(
    FORWARD,
    [partials, zt, h, wlm, targets],
    [u32(N), u32(C), u32(V), u32(splitLen), u32(numSplits), ['f32', temperature]],
    [Math.ceil(N / TILE), numSplits],
  );
  ctx.dispatch(MERGE, [logp, lse, entropy, partials, zt, targets], [u32(N), u32(numSplits), u32(V)], grid1d(N, WG), { WG });
}

/**
 * dlogp[N], h[N,C], wlm[V,C], targets[N], lse[N] -> dh[N,C] +=, dwlm[V,C] +=, with
 * g[n,v] = dlogp[n] (onehot(target)[v] - softmax(z)[n,v]) / temperature recomputed span by span.
 * `spanFloats` bounds the gradient scratch (a tuning knob; tests shrink it to cross span boundaries).
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
  spanFloats: number = LOGPROB_GRAD_SCRATCH_FLOATS,
): void {
  check(N, C, V, temperature);
  if (N === 0 || V === 0) return;
  const span = gradSpan(N, V, spanFloats);
  const G = scratch(ctx, 'logprob.grad', N * span);
  for (let v0 = 0; v0 < V; v0 += span) {
    const nv = Math.min(span, V - v0);
    ctx.dispatch(
      GRAD,
      [G, h, wlm, targets, lse, dlogp],
      [u32(N), u32(C), u32(v0), u32(nv), u32(span), ['f32', temperature]],
      [Math.ceil(N / TILE), Math.ceil(nv / TILE)],
    );
    // dh[N, C] += G[N, nv] @ wlm[v0 : v0 + nv, C]
    ctx.dispatch(MATMUL, [dh, G, wlm], [u32(N), u32(nv), u32(C), u32(span), u32(1), u32(v0 * C), u32(0)], [Math.ceil(C / TILE), Math.ceil(N / TILE)]);
    // dwlm[v0 : v0 + nv, C] += G[N, nv]^T @ h[N, C] (none for a frozen head)
    if (dwlm) ctx.dispatch(MATMUL, [dwlm, G, h], [u32(nv), u32(N), u32(C), u32(1), u32(span), u32(0), u32(v0 * C)], [Math.ceil(C / TILE), Math.ceil(nv / TILE)]);
  }
}
