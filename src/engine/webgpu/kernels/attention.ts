// Fused causal grouped-query attention on the GPU (twin of ../../cpu/attention.ts): a flash-attention forward
// that saves lse[B,NH,T], and a backward in three dispatches (delta = rowsum(dout*out); dk/dv per key block
// looping over the query heads that share it; dq per query block), all deterministic without atomics.
// Tile sizes depend only on D and the workgroup storage budget (16 KiB by default), never on T, so a new
// sequence length never builds a new pipeline. D <= 128.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, scratch, u32 } from './dispatch-util.ts';
import forwardCode from './attention_forward.wgsl?raw';
import deltaCode from './attention_backward_delta.wgsl?raw';
import dkdvCode from './attention_backward_dkdv.wgsl?raw';
import dqCode from './attention_backward_dq.wgsl?raw';

const FORWARD: KernelSpec = { name: 'attention_forward', code: forwardCode, bindings: ['rw', 'rw', 'read', 'read', 'read'] };
const DELTA: KernelSpec = { name: 'attention_backward_delta', code: deltaCode, bindings: ['rw', 'read', 'read'] };
const DKDV: KernelSpec = {
  name: 'attention_backward_dkdv',
  code: dkdvCode,
  bindings: ['rw', 'rw', 'read', 'read', 'read', 'read', 'read', 'read'],
};
const DQ: KernelSpec = { name: 'attention_backward_dq', code: dqCode, bindings: ['rw', 'read', 'read', 'read', 'read', 'read', 'read'] };

const WG = 64;
const MAX_ACC = 32; // per-invocation accumulators in the kernels
export const ATTENTION_MAX_D = 128;

export type AttentionKernel = 'forward' | 'dkdv' | 'dq';

/** Workgroup floats a kernel needs for tiles of BQ query rows and BK keys (mirrors the var<workgroup> lists). */
function tileFloats(kind: AttentionKernel, D: number, BQ: number, BK: number): number {
  if (kind === 'forward') return BQ * D + 2 * BK * D + BQ * BK + 2 * BQ;
  if (kind === 'dkdv') return 2 * BK * D + 2 * BQ * D + 2 * BQ * BK + 2 * BQ;
  return 2 * BQ * D + 2 * BK * D + BQ * BK + 2 * BQ;
}

/**
 * The largest tiles (by BQ*BK, then the more balanced, then the larger owned block) that fit `storageBytes` of
 * workgroup memory and the kernels' MAX_ACC accumulators per invocation.
 */
export function attentionTiles(kind: AttentionKernel, D: number, storageBytes: number): { BQ: number; BK: number } {
  const sizes = [4, 8, 16, 32, 64];
  let best: { BQ: number; BK: number } | null = null;
  const score = (t: { BQ: number; BK: number }) => [t.BQ * t.BK, -Math.abs(Math.log2(t.BQ / t.BK)), kind === 'dkdv' ? t.BK : t.BQ];
  for (const BQ of sizes) {
    for (const BK of sizes) {
      const owned = kind === 'dkdv' ? BK : BQ;
      if (Math.ceil((owned * D) / WG) > MAX_ACC || tileFloats(kind, D, BQ, BK) * 4 > storageBytes) continue;
      if (kind === 'forward' && BQ > WG) continue;
      if (!best) {
        best = { BQ, BK };
        continue;
      }
      const a = score({ BQ, BK });
      const c = score(best);
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== c[i]) {
          if (a[i] > c[i]) best = { BQ, BK };
          break;
        }
      }
    }
  }
  if (!best) throw new RangeError(`attention: no ${kind} tiling of head dim ${D} fits ${storageBytes} bytes of workgroup memory`);
  return best;
}

function check(B: number, NH: number, KVH: number, D: number): void {
  if (!(KVH > 0 && NH % KVH === 0)) throw new RangeError(`attention: NH (${NH}) must be a multiple of KVH (${KVH})`);
  if (!(D >= 1 && D <= ATTENTION_MAX_D)) throw new RangeError(`attention: head dim ${D} is outside [1, ${ATTENTION_MAX_D}]`);
  if (B > 65535 || NH > 65535) throw new RangeError(`attention: B (${B}) and NH (${NH}) must be at most 65535`);
}

/** Optional tuning knobs (tests use them to run the small-storage tilings). */
export interface AttentionOptions {
  /**
   * Workgroup memory the tiles may use. Default 16 KiB, the WebGPU minimum every adapter has; 32 KiB gives
   * larger tiles where the device allows it (at a longer shader compile on SwiftShader, which zero-fills
   * workgroup memory with generated code).
   */
  storageBytes?: number;
}

export const ATTENTION_STORAGE_BYTES = 16384;

function storageBudget(ctx: GpuContext, opts: AttentionOptions): number {
  const bytes = opts.storageBytes ?? ATTENTION_STORAGE_BYTES;
  const limit = ctx.device.limits.maxComputeWorkgroupStorageSize;
  if (bytes > limit) throw new RangeError(`attention: ${bytes} bytes of workgroup memory requested, the device allows ${limit}`);
  return bytes;
}

/** q[B,T,NH,D], k,v[B,T,KVH,D] -> out[B,T,NH,D], lse[B,NH,T] (overwritten). Causal, scale 1/sqrt(D). */
export function attentionForward(
  ctx: GpuContext,
  out: GpuTensor,
  lse: GpuTensor,
  q: GpuTensor,
  k: GpuTensor,
  v: GpuTensor,
  B: number,
  T: number,
  NH: number,
  KVH: number,
  D: number,
  opts: AttentionOptions = {},
): void {
  check(B, NH, KVH, D);
  if (B * T === 0) return;
  const { BQ, BK } = attentionTiles('forward', D, storageBudget(ctx, opts));
  const uniforms = [u32(T), u32(NH), u32(KVH), ['f32', 1 / Math.sqrt(D)] as ['f32', number]];
  ctx.dispatch(FORWARD, [out, lse, q, k, v], uniforms, [Math.ceil(T / BQ), NH, B], { WG, D, BQ, BK });
}

/**
 * dq[B,T,NH,D], dk, dv[B,T,KVH,D] (all overwritten) from dout, recomputing the probabilities from lse.
 * Uses a per-context scratch for delta[B,NH,T].
 */
export function attentionBackward(
  ctx: GpuContext,
  dq: GpuTensor,
  dk: GpuTensor,
  dv: GpuTensor,
  dout: GpuTensor,
  q: GpuTensor,
  k: GpuTensor,
  v: GpuTensor,
  out: GpuTensor,
  lse: GpuTensor,
  B: number,
  T: number,
  NH: number,
  KVH: number,
  D: number,
  opts: AttentionOptions = {},
): void {
  check(B, NH, KVH, D);
  const rows = B * T * NH;
  if (rows === 0) return;
  const delta = scratch(ctx, 'attention.delta', rows);
  ctx.dispatch(DELTA, [delta, dout, out], [u32(rows), u32(T), u32(NH), u32(D)], grid1d(rows, WG), { WG });
  const uniforms = [u32(T), u32(NH), u32(KVH), ['f32', 1 / Math.sqrt(D)] as ['f32', number]];
  const kv = attentionTiles('dkdv', D, storageBudget(ctx, opts));
  ctx.dispatch(DKDV, [dk, dv, dout, q, k, v, lse, delta], uniforms, [Math.ceil(T / kv.BK), KVH, B], { WG, D, ...kv });
  const qt = attentionTiles('dq', D, storageBudget(ctx, opts));
  ctx.dispatch(DQ, [dq, dout, q, k, v, lse, delta], uniforms, [Math.ceil(T / qt.BQ), NH, B], { WG, D, ...qt });
}
