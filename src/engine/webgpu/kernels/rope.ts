// RoPE on the GPU (twin of ../../cpu/rope.ts): in place on x[N, H, D], forward and inverse rotation. Angles are
// formed in f32 on the GPU from a per-(D, theta) frequency table computed once on the host in f64 and cached
// per context; see rope.wgsl for the exact range reduction. Agrees with the CPU's f64-angle rotation to
// ~3e-7 of max |x| for any position below 2^24 (tests assert 2e-6).
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, u32 } from './dispatch-util.ts';
import code from './rope.wgsl?raw';

const ROPE: KernelSpec = { name: 'rope', code, bindings: ['rw', 'read', 'read'] };
const WG = 64;

const tables = new WeakMap<GpuContext, Map<string, GpuTensor>>();

/** `x` rounded to f32 with all but its top `bits` significant bits cleared (so products of two are exact). */
function keepBits(x: number, bits: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  u[0] &= ~((1 << (24 - bits)) - 1) >>> 0;
  return f[0];
}

/**
 * Turns per position of each pair, g_i = theta^(-2i/D) / (2 pi), as three f32 per pair: a + b + c = g_i with
 * a and b of 12 significant bits (exact products with 12-bit halves of a position) and c the remainder.
 */
export function ropeFrequencyTable(D: number, theta: number): Float32Array {
  const half = D / 2;
  const out = new Float32Array(3 * half);
  for (let i = 0; i < half; i++) {
    const g = 1 / Math.pow(theta, (2 * i) / D) / (2 * Math.PI);
    const a = keepBits(g, 12);
    const b = keepBits(g - a, 12);
    out.set([a, b, Math.fround(g - a - b)], 3 * i);
  }
  return out;
}

function frequencies(ctx: GpuContext, D: number, theta: number): GpuTensor {
  let map = tables.get(ctx);
  if (!map) tables.set(ctx, (map = new Map()));
  const key = `${D}|${theta}`;
  let t = map.get(key);
  if (!t) {
    t = ctx.alloc(3 * (D / 2), 'f32');
    ctx.upload(t, ropeFrequencyTable(D, theta));
    map.set(key, t);
  }
  return t;
}

function rotate(ctx: GpuContext, x: GpuTensor, pos: GpuTensor, N: number, H: number, D: number, theta: number, sign: 1 | -1): void {
  if (D % 2 !== 0) throw new RangeError(`rope: head dim D must be even, got ${D}`);
  if (x.length < N * H * D || pos.length < N) throw new RangeError(`rope: tensors too small for N=${N}, H=${H}, D=${D}`);
  const pairs = N * H * (D / 2);
  if (pairs === 0) return;
  ctx.dispatch(ROPE, [x, pos, frequencies(ctx, D, theta)], [u32(N), u32(H), u32(D / 2), ['f32', sign]], grid1d(pairs, WG), { WG });
}

/** In place on x[N,H,D], pos[N] (0 <= pos < 2^24): (x1, x2) <- (x1 cos - x2 sin, x2 cos + x1 sin). */
export function ropeForward(ctx: GpuContext, x: GpuTensor, pos: GpuTensor, N: number, H: number, D: number, theta: number): void {
  rotate(ctx, x, pos, N, H, D, theta, 1);
}

/** In place on dx[N,H,D] (overwrites): the inverse rotation, the gradient of a rotation. */
export function ropeBackward(ctx: GpuContext, dx: GpuTensor, pos: GpuTensor, N: number, H: number, D: number, theta: number): void {
  rotate(ctx, dx, pos, N, H, D, theta, -1);
}
