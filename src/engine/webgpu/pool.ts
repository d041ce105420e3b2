// GPU buffers pooled by (size bucket, usage): freed buffers are reused, so after warm-up a training or
// decode step creates no buffers. Sizes round up to a quarter-power-of-two bucket (at most 25% waste).
// `created` counts createBuffer calls, which the tests use to prove steps allocate nothing new.
import { formatBytes } from '../memory.ts';

export function bucketBytes(bytes: number): number {
  const b = Math.max(bytes, 256);
  const pow = 2 ** Math.floor(Math.log2(b));
  const quarter = pow / 4;
  return Math.ceil(b / quarter) * quarter;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly all = new Set<GPUBuffer>();
  created = 0;
  bytesInUse = 0;
  peakBytesInUse = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxBufferSize: number,
  ) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags, label = 'pooled'): GPUBuffer {
    const size = bucketBytes(bytes);
    if (size > this.maxBufferSize) {
      if (bytes > this.maxBufferSize) {
        throw new Error(`a GPU buffer of ${formatBytes(bytes)} is needed but this device allows at most ${formatBytes(this.maxBufferSize)} per buffer`);
      }
    }
    const key = `${Math.min(size, this.maxBufferSize)}:${usage}`;
    const list = this.free.get(key);
    let buf = list?.pop();
    if (!buf) {
      buf = this.device.createBuffer({ size: Math.min(size, this.maxBufferSize), usage, label });
      this.all.add(buf);
      this.created += 1;
    }
    this.bytesInUse += buf.size;
    this.peakBytesInUse = Math.max(this.peakBytesInUse, this.bytesInUse);
    return buf;
  }

  release(buf: GPUBuffer): void {
    const key = `${buf.size}:${buf.usage}`;
    let list = this.free.get(key);
    if (!list) this.free.set(key, (list = []));
    list.push(buf);
    this.bytesInUse -= buf.size;
  }

  destroy(): void {
    for (const b of this.all) b.destroy();
    this.all.clear();
    this.free.clear();
    this.bytesInUse = 0;
  }
}

