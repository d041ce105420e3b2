import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import { existsSync } from 'node:fs';

// Dawn (the `webgpu` package) finds SwiftShader through this ICD on GPU-less machines (../shared/TESTING.md).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const gpuEnv = !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};

// Cross-origin isolation, so SharedArrayBuffer exists and the CPU backend can run helper threads inside the
// trainer worker (src/engine/cpu/pool.ts). Everything the page loads is same-origin or fetched with CORS (Hub
// downloads, judge endpoints), which require-corp allows. A host that cannot send these headers still works:
// the CPU backend then runs on one thread and says so in its device name.
const crossOriginIsolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

// Offline and installable (issue 13): a Workbox service worker precaches the built app, its workers and wasm,
// and the bundled models under public/models, so after one visit the page opens and trains with no network. A
// new deployment waits for the user's OK (src/app/pwa/UpdatePrompt.tsx registers it). Production builds only.
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  // The manifest is a static file (public/manifest.webmanifest), so the dev server serves it too: a generated one
  // exists only in builds, and the dev server's HTML fallback for it was a console error in every dev page.
  manifest: false,
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,json,safetensors,svg,webmanifest}'],
    // The bundled models' weights and tokenizers are a few MB at most; larger files are never bundled.
    maximumFileSizeToCacheInBytes: 32 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [react(), pwa],
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
