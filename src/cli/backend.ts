// Backend selection for the CLI: cpu (the reference), webgpu (Dawn through the `webgpu` package: a real GPU
// when its Vulkan driver is present, SwiftShader when VK_ICD_FILENAMES points at it), or auto (WebGPU when an
// hardware adapter exists, else the CPU, saying so on stderr). The CPU backend uses min(cores, 8) threads for its
// heavy kernels (bit-identical to one thread); CpuBackend.create waits for them so the device name says how many.
import { totalmem } from 'node:os';
import type { Backend } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { WebGpuBackend } from '../engine/webgpu/backend.ts';
import { nodeGpu } from '../engine/webgpu/node-gpu.ts';
import { CliError } from './load-config.ts';

export const BACKEND_CHOICES = ['cpu', 'webgpu', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** `threads`: the CPU backend's thread count (CpuBackendOptions.threads; default 'auto' = min(cores, 8)). */
export async function createBackend(choice: BackendChoice, opts: { threads?: number | 'auto' } = {}): Promise<Backend> {
  // The memory plan refuses CPU runs beyond 80% of this machine's memory, before allocating anything.
  const memoryBudgetBytes = Math.floor(totalmem() * 0.8);
  const cpu = async () => (await CpuBackend.create({ threads: opts.threads, memoryBudgetBytes })) as unknown as Backend;
  if (choice === 'cpu') return cpu();
  try {
    const gpu = await WebGpuBackend.create(await nodeGpu());
    if (choice === 'auto' && /swiftshader/i.test(gpu.deviceName)) {
      // A software rasteriser is slower than the CPU backend for this work: auto means a real GPU.
      gpu.destroy();
      process.stderr.write('only a software WebGPU adapter (SwiftShader) found; using the CPU backend (--backend webgpu forces it)\n');
      return cpu();
    }
    return gpu as unknown as Backend;
  } catch (e) {
    if (choice === 'webgpu') throw new CliError(`--backend webgpu: ${(e as Error).message}`);
    process.stderr.write(`no WebGPU adapter (${(e as Error).message}); using the CPU backend\n`);
    return cpu();
  }
}
