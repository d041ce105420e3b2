// Backend selection for the CLI: cpu (the reference), webgpu (Dawn through the `webgpu` package), or auto.
import type { Backend } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { CliError } from './load-config.ts';

export const BACKEND_CHOICES = ['cpu', 'webgpu', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export async function createBackend(choice: BackendChoice): Promise<Backend> {
  switch (choice) {
    case 'cpu':
    case 'auto': // no WebGPU backend in this build yet: auto means the CPU
      return new CpuBackend() as unknown as Backend;
    case 'webgpu':
      throw new CliError('--backend webgpu is not available in this build yet (the WebGPU backend is in progress); use --backend cpu');
  }
}
