// The devices a model's fit is judged for in the browser: the WebGPU adapter (its storage-buffer binding
// limit; browsers do not report GPU memory) and the CPU backend (a share of navigator.deviceMemory, which
// browsers round and cap at 8 GiB, so this is a rough figure and is labelled as one).
import type { FitDevice } from '../rl/model-fit.ts';

export async function browserFitDevices(): Promise<FitDevice[]> {
  const out: FitDevice[] = [];
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  try {
    const adapter = await gpu?.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter) {
      const soft = /swiftshader/i.test(adapter.info?.architecture ?? '') || adapter.info?.isFallbackAdapter;
      out.push({ name: soft ? 'WebGPU (software adapter)' : 'WebGPU', maxBufferBytes: adapter.limits.maxStorageBufferBindingSize });
    }
  } catch {
    // no WebGPU: judged for the CPU only
  }
  const ramGiB = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  out.push({ name: 'the CPU backend', maxTotalBytes: ramGiB ? (ramGiB / 2) * 2 ** 30 : undefined, maxBufferBytes: 2 ** 31 });
  return out;
}
