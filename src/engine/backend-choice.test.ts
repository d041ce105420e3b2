// The backend-choice rule with real parts: the CPU backend, Dawn's WebGPU in Node (SwiftShader on GPU-less
// machines, where 'auto' must fall back to the CPU), and a host without navigator.gpu.
import { describe, expect, it } from 'vitest';
import type { Backend } from './backend.ts';
import { BackendUnavailableError, chooseBackend, isSoftwareAdapter, type BackendHost } from './backend-choice.ts';
import { CpuBackend } from './cpu/backend.ts';
import { WebGpuBackend } from './webgpu/backend.ts';
import { nodeGpu } from './webgpu/node-gpu.ts';
import { testBackend } from './webgpu/testing.ts';

const cpu = async () => new CpuBackend() as unknown as Backend;
const noGpu: BackendHost = { gpu: async () => undefined, cpu };

describe('chooseBackend', () => {
  it("'cpu' is the CPU backend without asking for a GPU", async () => {
    let asked = 0;
    const chosen = await chooseBackend('cpu', { gpu: async () => (asked++, nodeGpu()), cpu });
    expect(chosen.backend).toBeInstanceOf(CpuBackend);
    expect(chosen.note).toBeUndefined();
    expect(asked).toBe(0);
  });

  it("without navigator.gpu: 'auto' runs on the CPU saying why, 'webgpu' fails saying why", async () => {
    const auto = await chooseBackend('auto', noGpu);
    expect(auto.backend).toBeInstanceOf(CpuBackend);
    expect(auto.fallback).toBe('unavailable');
    expect(auto.note).toMatch(/^WebGPU is unavailable \(.+\), so training runs on the CPU backend\.$/);
    const failure = await chooseBackend('webgpu', noGpu).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(BackendUnavailableError);
    expect((failure as BackendUnavailableError).message).toBe(`WebGPU was requested but is unavailable: ${(failure as BackendUnavailableError).reason}`);
    expect(auto.note).toContain((failure as BackendUnavailableError).reason);
  });

  it('a host whose WebGPU loader throws is treated as having no WebGPU', async () => {
    const host: BackendHost = { gpu: async () => { throw new Error("the 'webgpu' package could not be loaded"); }, cpu };
    expect((await chooseBackend('auto', host)).note).toContain("the 'webgpu' package could not be loaded");
    await expect(chooseBackend('webgpu', host)).rejects.toThrow("WebGPU was requested but is unavailable: the 'webgpu' package could not be loaded");
  });

  it('software adapters are recognised by name', () => {
    expect(isSoftwareAdapter('Google SwiftShader (swiftshader)')).toBe(true);
    expect(isSoftwareAdapter('NVIDIA H200')).toBe(false);
  });
});

describe('chooseBackend with Dawn', async () => {
  const shared = await testBackend(); // fails under CI when there is no adapter, skips loudly elsewhere
  it.skipIf(!shared)("'webgpu' takes the adapter; 'auto' takes it only when it is hardware", async () => {
    const host: BackendHost = { gpu: nodeGpu, cpu };
    const forced = await chooseBackend('webgpu', host);
    expect(forced.backend).toBeInstanceOf(WebGpuBackend);
    const name = forced.backend.deviceName;
    (forced.backend as unknown as WebGpuBackend).destroy();
    const auto = await chooseBackend('auto', host);
    if (isSoftwareAdapter(name)) {
      expect(auto.backend).toBeInstanceOf(CpuBackend);
      expect(auto.fallback).toBe('software');
      expect(auto.note).toBe(`Only a software WebGPU adapter (${name}) is available, so training runs on the CPU backend.`);
    } else {
      expect(auto.backend).toBeInstanceOf(WebGpuBackend);
      expect(auto.note).toBeUndefined();
      (auto.backend as unknown as WebGpuBackend).destroy();
    }
  });
});
