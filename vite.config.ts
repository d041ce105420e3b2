import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

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
  },
});
