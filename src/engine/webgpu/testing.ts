// Test support for WebGPU parity tests in Node: a shared Dawn device (SwiftShader on GPU-less machines).
// With CI set, a missing adapter is a failure; elsewhere the GPU tests skip with a loud message.
import { WebGpuBackend } from './backend.ts';
import { nodeGpu } from './node-gpu.ts';

let backendPromise: Promise<WebGpuBackend | null> | null = null;

/** The shared test backend, or null (after printing why) when no adapter exists outside CI. */
export function testBackend(): Promise<WebGpuBackend | null> {
  if (!backendPromise) {
    backendPromise = (async () => {
      try {
        return await WebGpuBackend.create(await nodeGpu());
      } catch (e) {
        const msg = `WebGPU unavailable in Node: ${(e as Error).message}. Set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (apt-get install chromium libvulkan1).`;
        if (process.env.CI) throw new Error(`${msg} (CI is set: GPU tests must not be skipped)`, { cause: e });
        console.warn(`\n!!! SKIPPING WebGPU tests: ${msg}\n`);
        return null;
      }
    })();
  }
  return backendPromise;
}
