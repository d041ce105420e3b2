// Where the WebGPU section's adapter comes from. Dawn (the `webgpu` package) finds Vulkan drivers through the
// Vulkan loader, which reads VK_ICD_FILENAMES when Dawn starts: so this runs before anything loads Dawn. On a
// machine without a GPU the bench points the loader at SwiftShader (Chromium's CPU Vulkan, see
// ../shared/TESTING.md); with a GPU device node present, or the variable already set, it leaves it alone.
import { existsSync, readdirSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface VulkanEnv {
  /** VK_ICD_FILENAMES as Dawn will see it (null: unset, the loader's default search). */
  icd: string | null;
  setByBench: boolean;
  note: string;
}

function gpuDeviceNode(): string | null {
  try {
    const render = readdirSync('/dev/dri').find((n) => n.startsWith('renderD'));
    if (render) return `/dev/dri/${render}`;
  } catch {
    // no /dev/dri
  }
  return existsSync('/dev/nvidia0') ? '/dev/nvidia0' : null;
}

export function prepareVulkanEnv(): VulkanEnv {
  const current = process.env.VK_ICD_FILENAMES;
  if (current) return { icd: current, setByBench: false, note: `VK_ICD_FILENAMES=${current} (from the environment)` };
  const node = gpuDeviceNode();
  if (node) return { icd: null, setByBench: false, note: `VK_ICD_FILENAMES unset and ${node} exists: Dawn looks for the GPU's own Vulkan driver` };
  if (existsSync(SWIFTSHADER_ICD)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    return { icd: SWIFTSHADER_ICD, setByBench: true, note: `no GPU device node and VK_ICD_FILENAMES unset: the bench set it to ${SWIFTSHADER_ICD} (SwiftShader)` };
  }
  return {
    icd: null,
    setByBench: false,
    note: `no GPU device node, VK_ICD_FILENAMES unset and no ${SWIFTSHADER_ICD} (apt-get install chromium brings SwiftShader)`,
  };
}

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  swiftshader: boolean;
}

/** The adapter a GPU object hands out (the same request our backend and TF.js make), or null. */
export async function describeAdapterOf(gpu: GPU): Promise<AdapterDescription | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const { vendor, architecture, device, description } = adapter.info;
  const swiftshader = architecture === 'swiftshader' || /swiftshader/i.test(description);
  return { vendor, architecture, device, description, swiftshader };
}

export function adapterLine(a: AdapterDescription): string {
  const parts = [`vendor '${a.vendor}'`, `architecture '${a.architecture}'`, `description '${a.description}'`];
  if (a.device) parts.push(`device '${a.device}'`);
  return parts.join(', ');
}
