import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { existsSync } from 'node:fs';

// Dawn (the `webgpu` package) finds SwiftShader through this ICD on GPU-less machines (../shared/TESTING.md).
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const gpuEnv = !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD) ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD } : {};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // Pre-bundle the worker's CommonJS-free but late-discovered deps so the first load never re-optimises.
  optimizeDeps: { include: ['@huggingface/tokenizers', '@huggingface/jinja'] },
  server: { host: 'localhost' },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    env: gpuEnv,
  },
});
