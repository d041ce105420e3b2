// A tensor on the GPU: a range of a GPUBuffer, in 4-byte elements (f32 or i32). Views share the buffer;
// only the tensor that allocated a buffer owns it (and gives it back to the pool when freed).
export type GpuDType = 'f32' | 'i32';

export class GpuTensor {
  constructor(
    readonly buffer: GPUBuffer,
    readonly offset: number, // elements
    readonly length: number, // elements
    readonly dtype: GpuDType,
    readonly owner: boolean,
  ) {}

  get byteOffset(): number {
    return this.offset * 4;
  }

  get byteLength(): number {
    return this.length * 4;
  }

  /** The binding resource for a bind group. Zero-length tensors bind 4 bytes (never read). */
  binding(): GPUBufferBinding {
    return { buffer: this.buffer, offset: this.byteOffset, size: Math.max(this.byteLength, 4) };
  }
}
