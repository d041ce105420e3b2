// Small helpers shared by the rope, attention, kv-cache, log-prob and sampling wrappers: a 1-D workgroup count
// folded into the 2-D grid WebGPU allows (65535 per dimension), and grow-only scratch tensors cached per context.
import type { GpuContext } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';

const MAX_GROUPS_X = 65535;

/**
 * Workgroups for `count` items of `perGroup` each, as [x, y]. Kernels rebuild the flat group index with
 * `wid.x + wid.y * nwg.x` (nwg = @builtin(num_workgroups)) and must bounds-check it: x*y may exceed the need.
 */
export function grid1d(count: number, perGroup: number): [number, number] {
  const groups = Math.ceil(count / perGroup);
  if (groups <= MAX_GROUPS_X) return [groups, 1];
  return [MAX_GROUPS_X, Math.ceil(groups / MAX_GROUPS_X)];
}

const scratchByContext = new WeakMap<GpuContext, Map<string, GpuTensor>>();

/**
 * A scratch tensor of at least `length` elements for one use (`key`), kept per context and reused across calls;
 * it grows (never shrinks) when a larger one is needed, so after warm-up no call allocates. Contents are
 * undefined: kernels must write before they read. Work recorded earlier stays ordered with later reuse because
 * every dispatch of a context goes into one queue in program order.
 */
export function scratch(ctx: GpuContext, key: string, length: number, dtype: 'f32' | 'i32' = 'f32'): GpuTensor {
  let map = scratchByContext.get(ctx);
  if (!map) scratchByContext.set(ctx, (map = new Map()));
  const have = map.get(key);
  if (have && have.length >= length) return have;
  if (have) ctx.free(have);
  const t = ctx.alloc(Math.max(length, 1), dtype);
  map.set(key, t);
  return t;
}

/** The uniform type of a u32 value (throws on values WGSL's u32 cannot hold). */
export function u32(value: number): ['u32', number] {
  if (!(Number.isInteger(value) && value >= 0 && value < 2 ** 32)) throw new RangeError(`not a u32: ${value}`);
  return ['u32', value];
}
