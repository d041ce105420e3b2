// Test-only helpers for the kernel parity tests of this folder: move seeded host arrays to the GPU and back.
import type { WebGpuBackend } from '../backend.ts';
import type { GpuTensor } from '../tensor.ts';

/** A new f32 tensor holding `data` (rounded to f32). */
export function gpuFloats(be: WebGpuBackend, data: ArrayLike<number>): GpuTensor {
  const t = be.allocFloat(data.length);
  be.uploadFloat(t, Float32Array.from(data));
  return t;
}

/** A new i32 tensor holding `data`. */
export function gpuInts(be: WebGpuBackend, data: ArrayLike<number>): GpuTensor {
  const t = be.allocInt(data.length);
  be.uploadInt(t, Int32Array.from(data));
  return t;
}

/** `data` rounded to f32, back in f64 (the exact inputs the GPU sees, for the f64 CPU oracle). */
export function asF32(data: ArrayLike<number>): Float64Array {
  return Float64Array.from(Float32Array.from(data));
}

/** Read a tensor as f64 values. */
export async function readF64(be: WebGpuBackend, t: GpuTensor): Promise<Float64Array> {
  return Float64Array.from(await be.readFloat(t));
}

/** Free tensors at the end of a test. */
export function freeAll(be: WebGpuBackend, ...ts: GpuTensor[]): void {
  for (const t of ts) be.free(t);
}
