// Backend selection for the CLI: the shared rule of src/engine/backend-choice.ts (cpu, webgpu, or auto = a
// hardware WebGPU adapter, else the CPU saying why on stderr), with WebGPU from Dawn through the `webgpu`
// package (a real GPU when its Vulkan driver is present, SwiftShader when VK_ICD_FILENAMES points at it). The
// CPU backend uses min(cores, 8) threads for its heavy kernels (bit-identical to one thread).
import { totalmem } from 'node:os';
import type { Backend } from '../engine/backend.ts';
import { BACKEND_PREFERENCES, BackendUnavailableError, chooseBackend, type BackendPreference } from '../engine/backend-choice.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { nodeGpu } from '../engine/webgpu/node-gpu.ts';
import { CliError } from './load-config.ts';

export const BACKEND_CHOICES = BACKEND_PREFERENCES;
export type BackendChoice = BackendPreference;

/** `threads`: the CPU backend's thread count (CpuBackendOptions.threads; default 'auto' = min(cores, 8)). */
export async function createBackend(choice: BackendChoice, opts: { threads?: number | 'auto' } = {}): Promise<Backend> {
  try {
    const chosen = await chooseBackend(choice, {
      gpu: nodeGpu,
      // The memory plan refuses CPU runs beyond 80% of this machine's memory, before allocating anything.
      cpu: async () => (await CpuBackend.create({ threads: opts.threads, memoryBudgetBytes: Math.floor(totalmem() * 0.8) })) as unknown as Backend,
    });
    if (chosen.note) process.stderr.write(`${chosen.note}${chosen.fallback === 'software' ? ' (--backend webgpu forces it)' : ''}\n`);
    return chosen.backend;
  } catch (e) {
    if (e instanceof BackendUnavailableError) throw new CliError(`--backend webgpu: ${e.reason}`);
    throw e;
  }
}
