// WebGPU in Node through Dawn (the `webgpu` npm package). Node-only: the browser bundle never imports this.
// On machines without a GPU, set VK_ICD_FILENAMES to SwiftShader's ICD (see ../shared/TESTING.md).
import { WebGpuUnavailableError } from './device.ts';

let cached: GPU | null = null;

export async function nodeGpu(): Promise<GPU> {
  if (cached) return cached;
  let mod: typeof import('webgpu');
  try {
    mod = await import('webgpu');
  } catch (e) {
    throw new WebGpuUnavailableError(`the 'webgpu' package (Dawn for Node) could not be loaded: ${(e as Error).message}`);
  }
  Object.assign(globalThis, mod.globals);
  // Our kernels write all workgroup memory before reading it, so Dawn's zero-fill of workgroup memory is
  // pure cost (on SwiftShader it made one 16 KiB-tile attention kernel take seconds to compile).
  cached = mod.create(['enable-dawn-features=disable_workgroup_init']) as unknown as GPU;
  return cached;
}
