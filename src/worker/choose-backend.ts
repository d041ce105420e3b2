// Picks the worker's compute backend from the user's preference: 'auto' takes a hardware WebGPU adapter when
// there is one and otherwise the CPU backend (a software adapter such as SwiftShader is slower than the CPU
// backend); 'webgpu' insists on WebGPU (an error says why it is unavailable); 'cpu' is the reference.
import type { Backend } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { WebGpuBackend } from '../engine/webgpu/backend.ts';
import type { BackendPreference } from './protocol.ts';

export interface ChosenBackend {
  backend: Backend;
  note?: string;
}

export async function chooseBackend(preference: BackendPreference): Promise<ChosenBackend> {
  // Wait for the CPU backend's helper threads, so its device name says how many run.
  const cpu = async (): Promise<Backend> => (await CpuBackend.create({ memoryBudgetBytes: browserCpuBudget() })) as unknown as Backend;
  if (preference === 'cpu') return { backend: await cpu() };
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  try {
    const be = await WebGpuBackend.create(gpu);
    if (preference === 'auto' && /swiftshader/i.test(be.deviceName)) {
      be.destroy();
      return { backend: await cpu(), note: 'Only a software WebGPU adapter is available, so training runs on the CPU.' };
    }
    return { backend: be as unknown as Backend };
  } catch (e) {
    if (preference === 'webgpu') throw new Error(`WebGPU was requested but is unavailable: ${(e as Error).message}`, { cause: e });
    return { backend: await cpu(), note: `WebGPU unavailable (${(e as Error).message}); training runs on the CPU.` };
  }
}

/**
 * The CPU backend's budget in a tab: half of navigator.deviceMemory (Chrome reports at most 8 GiB, rounded down),
 * or 2 GiB where the browser does not say. Conservative on purpose: a tab that outgrows its memory is killed.
 */
function browserCpuBudget(): number {
  const gib = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return Math.floor((typeof gib === 'number' && gib > 0 ? gib / 2 : 2) * 2 ** 30);
}
