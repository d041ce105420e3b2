// Selecting a TF.js backend in Node: 'cpu' (plain JavaScript kernels) or 'wasm' (XNNPACK compiled to
// WebAssembly, loaded from the package's dist folder on disk). A backend that cannot start is reported with
// the reason instead of failing the bench. Threads are off in Node for tfjs-backend-wasm (it says so
// itself), so every contender runs on one core.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfBackendName = 'cpu' | 'wasm';

export type BackendStatus = { ok: true; note: string } | { ok: false; reason: string };

export async function useTfBackend(name: TfBackendName): Promise<BackendStatus> {
  // Production mode: TF.js skips its debug-time checks (the fair setting for timing) and its Node banner.
  tf.enableProdMode();
  try {
    if (name === 'wasm') {
      const require = createRequire(import.meta.url);
      const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
      setWasmPaths(dist);
    }
    if (!(await tf.setBackend(name))) return { ok: false, reason: `tf.setBackend('${name}') returned false (its warning is printed above)` };
    await tf.ready();
    if (name === 'wasm') {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      return { ok: true, note: `wasm (SIMD ${simd ? 'on' : 'off'}, threads ${threads ? 'on' : 'off'})` };
    }
    return { ok: true, note: 'cpu (JavaScript kernels)' };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
