import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { existsSync } from 'node:fs';

// Dawn (the `webgpu` package) finds SwiftShader through this ICD on GPU-less machines (../shared/TESTING.md).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const gpuEnv = !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};

// Cross-origin isolation, so SharedArrayBuffer exists and the CPU backend can run helper threads inside the
// trainer worker (src/engine/cpu/pool.ts). Everything the page loads is same-origin or fetched with CORS (Hub
// downloads, judge endpoints), which require-corp allows. A host that cannot send these headers still works:
// the CPU backend then runs on one thread and says so in its device name.
const crossOriginIsolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Scan the workers too and pre-bundle late-discovered deps, so a dev server never finds a new dependency
  // mid-session: that makes Vite re-optimise and reload the page, losing a run in progress.
  optimizeDeps: {
    entries: ['index.html', 'src/**/*.worker.ts', 'src/engine/cpu/thread-worker.ts'],
    include: ['@huggingface/tokenizers', '@huggingface/jinja', 'quickjs-emscripten-core', '@jitl/quickjs-wasmfile-release-sync'],
  },
  server: { host: 'localhost', headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    env: gpuEnv,
  },
});
