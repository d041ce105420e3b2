// `npm run bench [-- --only cpu|webgpu|threads|wasm]`: our engine against the same Llama-style model in TensorFlow.js,
// in one process, after checking that both compute the same log-probs, gradients and greedy decodes.
//   cpu:    our CPU backend vs tfjs cpu and wasm, one core each (cpu-section.ts), then our CPU backend on one
//           thread vs several (threads-section.ts; `--only threads` runs just that part);
//   wasm:   the CPU backend's WebAssembly SIMD kernels vs its TypeScript ones, per kernel and per step (wasm-section.ts);
//   torch:  our CPU backend vs PyTorch's CPU build (installed with apt-get when missing, as root) and TF.js wasm,
//           1 thread and all threads, at the tiny shape and at hidden 256 (torch-section.ts);
//   webgpu: our WebGPU backend vs tfjs webgpu on the same Dawn adapter, plus matmul GFLOP/s (webgpu-section.ts).
// Without a GPU, the WebGPU section runs on SwiftShader (gpu-env.ts sets VK_ICD_FILENAMES when it is unset),
// where its figures are CPU-bound. Prints the tables and writes bench/results/latest.json (a one-section run
// keeps the other section's last results there).
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { BENCH } from './config.ts';
import { runCpuSection } from './cpu-section.ts';
import { prepareVulkanEnv } from './gpu-env.ts';
import { writeResults } from './report.ts';
import { benchModel, makeSetup, shapesLine } from './setup.ts';
import { runThreadsRows } from './threads-section.ts';
import { runTorchSection } from './torch-section.ts';
import { runWasmSection } from './wasm-section.ts';
import { runWebGpuSection } from './webgpu-section.ts';

type Section = 'cpu' | 'webgpu' | 'threads' | 'wasm' | 'torch';

const USAGE = 'usage: npm run bench [-- --only cpu|webgpu|threads|wasm|torch]';

function parseArgs(argv: string[]): Section[] {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  if (argv.length === 0) return ['cpu', 'wasm', 'torch', 'webgpu'];
  const value = argv[0] === '--only' && argv.length === 2 ? argv[1] : argv.length === 1 && argv[0].startsWith('--only=') ? argv[0].slice(7) : null;
  if (value === null) throw new Error(`unexpected arguments '${argv.join(' ')}' (${USAGE})`);
  if (value !== 'cpu' && value !== 'webgpu' && value !== 'threads' && value !== 'wasm' && value !== 'torch') {
    throw new Error(`--only takes cpu, webgpu, threads, wasm or torch, not '${value}'`);
  }
  return [value];
}

async function main(): Promise<void> {
  const started = performance.now();
  const sections = parseArgs(process.argv.slice(2));
  // Before anything loads Dawn: the Vulkan loader reads VK_ICD_FILENAMES once.
  const vulkan = sections.includes('webgpu') ? prepareVulkanEnv() : null;
  const m = benchModel();
  const device = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
  console.log(`device: ${device.cpu}, ${device.cores} cores, Node ${device.node} (${device.platform})`);
  console.log(`model:  ${m.modelText}`);
  console.log(`sections: ${sections.join(', ')}`);

  const results: Record<string, unknown> = {};
  if (sections.includes('cpu')) {
    Object.assign(results, {
      date: new Date().toISOString(),
      device,
      model: { description: m.modelText, config: m.loaded.config },
      bench: BENCH,
      ...(await runCpuSection(m)),
    });
  }
  if (sections.includes('threads')) {
    console.log(shapesLine(BENCH, BENCH));
    const r = await runThreadsRows(await makeSetup(m, BENCH));
    results.threads = { date: new Date().toISOString(), device, ...(r.threads as object) };
  }
  if (sections.includes('wasm')) Object.assign(results, await runWasmSection());
  if (sections.includes('torch')) Object.assign(results, await runTorchSection());
  let webgpuMissing = false;
  if (sections.includes('webgpu') && vulkan) {
    const r = await runWebGpuSection(m, vulkan);
    results.webgpu = { device, ...r.json };
    webgpuMissing = !r.available;
  }
  const elapsed = (performance.now() - started) / 1000;
  const file = writeResults(results);
  console.log(`\nwrote ${file} (bench took ${elapsed.toFixed(0)} s)`);
  // Asked for the WebGPU section alone and it could not run: that is a failure, not a quiet skip.
  if (webgpuMissing && sections.length === 1) throw new Error('no WebGPU device (see above)');
}

// Exit explicitly: the wasm backend's Emscripten glue installs process-level error handlers that rethrow, and
// Dawn keeps Node alive otherwise.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
