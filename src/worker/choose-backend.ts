// The worker's compute backend: the shared rule of src/engine/backend-choice.ts with the browser's
// navigator.gpu and the CPU backend's default thread count (CpuBackend.create waits for its helper threads,
// so its device name says how many run).
import type { Backend } from '../engine/backend.ts';
import { chooseBackend as choose, type ChosenBackend } from '../engine/backend-choice.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import type { BackendPreference } from './protocol.ts';

export function chooseBackend(preference: BackendPreference): Promise<ChosenBackend> {
  return choose(preference, {
    gpu: async () => (globalThis.navigator as Navigator | undefined)?.gpu,
    cpu: async () => (await CpuBackend.create()) as unknown as Backend,
  });
}
