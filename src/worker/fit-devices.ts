// The devices a model's fit is judged for in the browser, as the backends would train: the WebGPU adapter (its
// per-buffer binding limit; browsers do not report GPU memory) and the CPU backend with the budget the worker gives
// it (choose-backend.ts browserCpuBudget: half of navigator.deviceMemory, which browsers round and cap at 8 GiB).
import type { VerdictDevice } from '../rl/plan-verdict.ts';
import { browserCpuBudget } from './choose-backend.ts';

export async function browserFitDevices(): Promise<VerdictDevice[]> {
  const out: VerdictDevice[] = [];
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  try {
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) {
      const soft = /swiftshader/i.test(adapter.info?.architecture ?? '') || adapter.info?.isFallbackAdapter;
      out.push({ name: soft ? 'WebGPU (software adapter)' : 'WebGPU', kind: 'webgpu', maxBufferBytes: adapter.limits.maxStorageBufferBindingSize });
    }
  } catch {
    // no WebGPU: judged for the CPU only
  }
  out.push({ name: 'the CPU backend', kind: 'cpu', maxTotalBytes: browserCpuBudget(), maxBufferBytes: 2 ** 31 });
  return out;
}
