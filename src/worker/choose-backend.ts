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
    cpu: async () => (await CpuBackend.create({ memoryBudgetBytes: browserCpuBudget() })) as unknown as Backend,
  });
}

/**
 * The CPU backend's budget in a tab: half of navigator.deviceMemory (Chrome reports at most 8 GiB, rounded down),
 * or 2 GiB where the browser does not say. Conservative on purpose: a tab that outgrows its memory is killed, and
 * the memory plan refuses such a run before allocating, with the numbers (a Hub model's full fine-tuning on the CPU).
 */
export function browserCpuBudget(): number {
  const gib = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  return Math.floor((typeof gib === 'number' && gib > 0 ? gib / 2 : 2) * 2 ** 30);
}
