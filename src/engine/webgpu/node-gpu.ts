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
  cached = mod.create([]) as unknown as GPU;
  return cached;
}
