import { describe, expect, it } from 'vitest';
import { BufferRecycler, bucketBytes } from './buffer-recycler.ts';
import { CpuBackend } from './backend.ts';

describe('BufferRecycler', () => {
  it('buckets sizes to quarter powers of two', () => {
    expect(bucketBytes(1)).toBe(256);
    expect(bucketBytes(1024)).toBe(1024);
    expect(bucketBytes(1025)).toBe(1280);
    expect(bucketBytes(5000)).toBe(5120);
  });

  it('reuses a freed buffer of the same bucket, zeroed, and never a view or a second free', () => {
    const r = new BufferRecycler(1 << 20);
    const a = r.own(new Float32Array(r.take(4000), 0, 1000));
    a.fill(7);
    expect(r.give(a.subarray(10, 20))).toBe(false); // a view frees nothing
    expect(r.give(a)).toBe(true);
    expect(r.give(a)).toBe(false); // a second free is ignored
    const b = r.own(new Float32Array(r.take(3900), 0, 975));
    expect(b.buffer).toBe(a.buffer);
    expect(b.every((x) => x === 0)).toBe(true);
    expect(r.created).toBe(1);
  });

  it('lets a buffer go once the cache is full', () => {
    const r = new BufferRecycler(1024);
    const a = r.own(new Uint8Array(r.take(2048)));
    expect(r.give(a)).toBe(false);
  });

  it('a threaded backend whose shapes change every step creates a bounded set of shared buffers', async () => {
    const be = await CpuBackend.create({ threads: 2 });
    const recycler = (be as unknown as { recycler: BufferRecycler }).recycler;
    for (let step = 0; step < 200; step++) {
      const t = be.allocFloat(1000 + 37 * (step % 50));
      const u = be.allocInt(500 + step);
      be.free(t);
      be.free(u);
    }
    // Without reuse this would be 400 buffers, each also held by every helper thread.
    expect(recycler.created).toBeLessThan(20);
    be.dispose();
  });
});
