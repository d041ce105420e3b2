// The GPU context's memory operations: upload/read round trips, zero-filled allocation from a dirty pool,
// views, copies ordered with uploads, and a trivial kernel dispatch.
import { describe, expect, it } from 'vitest';
import { testBackend } from './testing.ts';
import type { KernelSpec } from './context.ts';

const ADD_ONE: KernelSpec = {
  name: 'test_add_one',
  bindings: ['rw'],
  code: /* wgsl */ `
struct Params { n: u32, value: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> x: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x < p.n) { x[id.x] = x[id.x] + p.value; }
}`,
};

describe('GpuContext', async () => {
  const be = await testBackend();
  it.skipIf(!be)('uploads, reads, views, copies, clears and dispatches in order', async () => {
    const ctx = be!.ctx;
    const a = be!.allocFloat(200);
    be!.uploadFloat(a, Float32Array.from({ length: 200 }, (_, i) => i));
    expect(Array.from((await be!.readFloat(a)).slice(0, 3))).toEqual([0, 1, 2]);
    const v = be!.view(a, 64, 10);
    expect(Array.from(await be!.readFloat(v))).toEqual(Array.from({ length: 10 }, (_, i) => 64 + i));
    expect(() => be!.view(a, 3, 10)).toThrow(/multiple of 64/);
    // Upload, kernel, upload again, all before one read: the commands must apply in program order.
    const b = be!.allocFloat(4);
    be!.uploadFloat(b, Float32Array.from([1, 2, 3, 4]));
    ctx.dispatch(ADD_ONE, [b], [['u32', 4], ['f32', 10]], [1]);
    const c = be!.allocFloat(4);
    be!.copy(c, b);
    be!.uploadFloat(b, Float32Array.from([0, 0, 0, 0]));
    ctx.dispatch(ADD_ONE, [b], [['u32', 4], ['f32', 0.5]], [1]);
    expect(Array.from(await be!.readFloat(c))).toEqual([11, 12, 13, 14]);
    expect(Array.from(await be!.readFloat(b))).toEqual([0.5, 0.5, 0.5, 0.5]);
    // A freed buffer comes back zero-filled.
    be!.free(b);
    const d = be!.allocFloat(4);
    expect(Array.from(await be!.readFloat(d))).toEqual([0, 0, 0, 0]);
    const ints = be!.allocInt(3);
    be!.uploadInt(ints, Int32Array.from([-1, 7, 2 ** 30]));
    expect(Array.from(await be!.readInt(ints))).toEqual([-1, 7, 2 ** 30]);
  });
});
