// Acquire a WebGPU device with the adapter's real limits (the defaults cap buffers at 128-256 MiB) from any
// GPU object: navigator.gpu in a browser or worker, Dawn's `webgpu` package in Node (see node-gpu.ts).

export class WebGpuUnavailableError extends Error {
  override name = 'WebGpuUnavailableError';
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapterName: string;
}

const LIMITS_WANTED = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupsPerDimension',
] as const;

export function describeAdapter(info: GPUAdapterInfo | undefined): string {
  if (!info) return 'WebGPU adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return parts.length ? `WebGPU (${[...new Set(parts)].join(' ')})` : 'WebGPU adapter';
}

export async function acquireDevice(gpu: GPU | undefined, opts: { powerPreference?: GPUPowerPreference } = {}): Promise<AcquiredDevice> {
  if (!gpu) throw new WebGpuUnavailableError('WebGPU is not available here (no navigator.gpu)');
  const adapter = await gpu.requestAdapter({ powerPreference: opts.powerPreference ?? 'high-performance' });
  if (!adapter) throw new WebGpuUnavailableError('WebGPU is present but no GPU adapter was found');
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS_WANTED) {
    const v = adapter.limits[name];
    if (typeof v === 'number') requiredLimits[name] = v;
  }
  const device = await adapter.requestDevice({ requiredLimits, label: 'grpo-playground' });
  return { device, adapterName: describeAdapter(adapter.info) };
}
