// Freed SharedArrayBuffers of the threaded CPU backend, kept for reuse instead of dropped.
// Why: a shared buffer is also held by every helper thread, and a helper's isolate barely allocates, so its
// garbage collector rarely runs and a dropped buffer's memory stays alive there. A run whose shapes change
// every step (SFT on mixed tasks, multi-turn rollouts) then grew by gigabytes a minute. Reusing buffers by
// size bucket keeps the set of shared buffers small, and the helpers already know them (no re-sharing).

/** Buckets are quarter powers of two (as the WebGPU pool's): at most 19% wasted, and shapes that differ a little share. */
export function bucketBytes(bytes: number): number {
  if (bytes <= 256) return 256;
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

export class BufferRecycler {
  private readonly free = new Map<number, SharedArrayBuffer[]>();
  /** The tensor each live buffer was handed out as: only that exact array frees it (never a view of it). */
  private readonly owners = new WeakMap<SharedArrayBuffer, ArrayBufferView>();
  private cachedBytes = 0;
  /** Shared buffers created so far (tests watch that it stops growing). */
  created = 0;

  /** @param maxCachedBytes freed bytes kept for reuse; beyond it a freed buffer is let go (`give` returns false). */
  constructor(private readonly maxCachedBytes: number) {}

  /** A zeroed buffer of at least `bytes` bytes, reused when one of its bucket is free. */
  take(bytes: number): SharedArrayBuffer {
    const size = bucketBytes(bytes);
    const reused = this.free.get(size)?.pop();
    if (reused) {
      this.cachedBytes -= size;
      new Uint8Array(reused, 0, bytes).fill(0);
      return reused;
    }
    this.created++;
    return new SharedArrayBuffer(size);
  }

  /** Record which array owns a buffer just taken. */
  own<T extends ArrayBufferView>(array: T): T {
    this.owners.set(array.buffer as SharedArrayBuffer, array);
    return array;
  }

  /**
   * Take back a freed tensor's buffer. True when it is kept for reuse; false when the caller must let it go
   * (a view, a second free, not ours, or the cache is full).
   */
  give(array: ArrayBufferView): boolean {
    const buffer = array.buffer;
    if (!(buffer instanceof SharedArrayBuffer) || this.owners.get(buffer) !== array) return false;
    this.owners.delete(buffer);
    if (this.cachedBytes + buffer.byteLength > this.maxCachedBytes) return false;
    const list = this.free.get(buffer.byteLength);
    if (list) list.push(buffer);
    else this.free.set(buffer.byteLength, [buffer]);
    this.cachedBytes += buffer.byteLength;
    return true;
  }
}
