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
  const cpu = async (): Promise<Backend> => (await CpuBackend.create()) as unknown as Backend;
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
