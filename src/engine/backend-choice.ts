// The one rule for picking the compute backend, shared by the page's worker and the CLI. 'cpu' is the
// reference; 'webgpu' insists on WebGPU (BackendUnavailableError says why it is unavailable); 'auto' takes a
// hardware WebGPU adapter and otherwise the CPU backend, with a note saying why: a software adapter
// (SwiftShader) is slower than the CPU backend for this work. The hosts differ only in where `navigator.gpu`
// comes from (the browser, or Dawn in Node) and how they build the CPU backend (its thread count).
import type { Backend } from './backend.ts';
import { WebGpuBackend } from './webgpu/backend.ts';

/** In the order the CLI lists them. */
export const BACKEND_PREFERENCES = ['cpu', 'webgpu', 'auto'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface BackendHost {
  /** The host's navigator.gpu (undefined where there is none); may throw why it cannot be had. */
  gpu: () => Promise<GPU | undefined>;
  cpu: () => Promise<Backend>;
}

export interface ChosenBackend {
  backend: Backend;
  /** Why 'auto' runs on the CPU backend: no WebGPU ('unavailable'), or only a software adapter ('software'). */
  fallback?: 'unavailable' | 'software';
  /** That reason as a sentence for the user. */
  note?: string;
}

/** 'webgpu' was asked for and there is none; `reason` is the adapter's or the loader's own message. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
  constructor(readonly reason: string, options?: ErrorOptions) {
    super(`WebGPU was requested but is unavailable: ${reason}`, options);
  }
}

/** A software rasteriser's adapter: real WebGPU, but slower than the CPU backend. */
export function isSoftwareAdapter(deviceName: string): boolean {
  return /swiftshader/i.test(deviceName);
}

export async function chooseBackend(preference: BackendPreference, host: BackendHost): Promise<ChosenBackend> {
  if (preference === 'cpu') return { backend: await host.cpu() };
  let gpu: WebGpuBackend;
  try {
    gpu = await WebGpuBackend.create(await host.gpu());
  } catch (e) {
    const reason = (e as Error).message;
    if (preference === 'webgpu') throw new BackendUnavailableError(reason, { cause: e });
    return { backend: await host.cpu(), fallback: 'unavailable', note: `WebGPU is unavailable (${reason}), so training runs on the CPU backend.` };
  }
  const adapter = gpu.deviceName;
  if (preference === 'auto' && isSoftwareAdapter(adapter)) {
    gpu.destroy();
    return { backend: await host.cpu(), fallback: 'software', note: `Only a software WebGPU adapter (${adapter}) is available, so training runs on the CPU backend.` };
  }
  return { backend: gpu as unknown as Backend };
}
