// TensorFlow.js's webgpu backend in Node, on Dawn. tfjs-backend-webgpu registers itself at import time only
// when `navigator.gpu` exists, so: expose the GPU object our backend got from nodeGpu() as navigator.gpu, then
// import the backend and select it. TF.js requests its own adapter and device from that object: the same Dawn
// instance and adapter as ours, with the same toggles (node-gpu.ts turns off Dawn's zero-fill of workgroup
// memory; with Dawn's defaults instead, TF.js's training step and decode measured ~25-40% slower on
// SwiftShader, its matmul unchanged). Any failure is reported with its reason instead of failing the bench.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { describeAdapterOf, type AdapterDescription } from './gpu-env.ts';

export type TfWebGpuStatus =
  | { ok: true; note: string; version: string; adapter: AdapterDescription; backend: WebGPUBackend }
  | { ok: false; reason: string };

export function tfWebGpuVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@tensorflow/tfjs-backend-webgpu/package.json') as { version: string }).version;
}

/** Make `gpu` visible as navigator.gpu (Node 20 has no navigator; Node 21+ has one without gpu). */
function exposeAsNavigatorGpu(gpu: GPU): void {
  const g = globalThis as { navigator?: object };
  if (g.navigator && typeof g.navigator === 'object') {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
}

export async function useTfWebGpu(gpu: GPU): Promise<TfWebGpuStatus> {
  tf.enableProdMode();
  let version = 'unknown';
  try {
    version = tfWebGpuVersion();
    if (version !== tf.version_core) return { ok: false, reason: `@tensorflow/tfjs-backend-webgpu ${version} does not match @tensorflow/tfjs-core ${tf.version_core}` };
    const adapter = await describeAdapterOf(gpu);
    if (!adapter) return { ok: false, reason: "Dawn found no WebGPU adapter for TF.js (requestAdapter() returned null)" };
    exposeAsNavigatorGpu(gpu);
    if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== gpu) {
      return { ok: false, reason: 'could not set globalThis.navigator.gpu (tfjs-backend-webgpu looks for WebGPU there)' };
    }
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!tf.findBackendFactory('webgpu')) {
      return { ok: false, reason: 'tfjs-backend-webgpu did not register its backend (it does so only when navigator.gpu exists when it is first imported)' };
    }
    // tf.setBackend swallows the factory's exception and warns; keep those warnings as the reason.
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    };
    let selected: boolean;
    try {
      selected = await tf.setBackend('webgpu');
    } finally {
      console.warn = warn;
    }
    if (!selected) return { ok: false, reason: `tf.setBackend('webgpu') failed: ${warnings.join(' | ') || 'no reason given'}` };
    await tf.ready();
    const backend = tf.backend() as unknown as WebGPUBackend;
    const features = [...backend.device.features].sort().join(', ') || 'none';
    return {
      ok: true,
      version,
      adapter,
      backend,
      note: `webgpu ${version} on Dawn, the GPU object our backend uses (same toggles); device features: ${features}`,
    };
  } catch (e) {
    return { ok: false, reason: `tfjs-backend-webgpu ${version}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Submit TF.js's recorded commands and wait until the GPU has run them (the twin of our ctx.sync()). */
export async function tfWebGpuSync(backend: WebGPUBackend): Promise<void> {
  // submitQueue() finishes the command encoder as it is: end the open compute pass first (as TF.js's own reads do).
  backend.endComputePassEncoder();
  backend.ensureCommandEncoderReady();
  backend.submitQueue();
  await backend.device.queue.onSubmittedWorkDone();
}
