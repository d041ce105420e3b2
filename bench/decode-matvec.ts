// Decode linears on WebGPU: the matvec kernel (matvec.ts) against the tiled matmul, for a SmolLM2-135M-shaped layer
// stack (C 576, F 1536, 9 heads / 3 KV heads of 64, vocab 49,152), at R = 1..16 rows (sequences decoding together).
// One decode step's projections (q, k, v, o, gate, up, down per layer, then the LM head) are recorded and timed
// as one submission; tokens/s = R / step time. Attention, norms and sampling are left out (they are the same
// kernels on both paths), so this isolates what the routing changes. Also f32 vs bf16 weights on the matvec path.
// Run: npx tsx --import ./scripts/register-raw-loader.mjs bench/decode-matvec.ts [--layers N] [--runs N]
import { performance } from 'node:perf_hooks';
import { prepareVulkanEnv } from './gpu-env.ts';

const vulkan = prepareVulkanEnv();
const { WebGpuBackend } = await import('../src/engine/webgpu/backend.ts');
const { nodeGpu } = await import('../src/engine/webgpu/node-gpu.ts');
const { MATVEC_ROUTING } = await import('../src/engine/webgpu/kernels/matvec.ts');
const { matmulForwardHalf, uploadHalfWeight } = await import('../src/engine/webgpu/kernels/matmul_half.ts');

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

const be = await WebGpuBackend.create(await nodeGpu());
const swift = /swiftshader/i.test(be.deviceName);
const L = arg('layers', swift ? 2 : 30);
const runs = arg('runs', swift ? 2 : 10);
const C = 576, F = 1536, QD = 576, KD = 192, V = 49152;
console.log(`adapter: ${be.deviceName} (${vulkan.note})`);
console.log(`shape: SmolLM2-135M linears, ${L} layer(s) + LM head${swift ? ' (SwiftShader: fewer layers; the LM head dominates anyway)' : ''}, median of ${runs} runs`);

const rand = (n: number) => {
  const a = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    a[i] = ((s >>> 8) / 2 ** 24 - 0.5) * 0.1;
  }
  return a;
};
// [C_in, C_out] of every projection of one step
const linears: [number, number][] = [];
for (let l = 0; l < L; l++) linears.push([C, QD], [C, KD], [C, KD], [QD, C], [C, F], [C, F], [F, C]);
linears.push([C, V]);
const weights = linears.map(([ci, co]) => {
  const t = be.allocFloat(ci * co);
  be.uploadFloat(t, rand(ci * co));
  return t;
});
const halfWeights = linears.map(([ci, co]) => uploadHalfWeight(be.ctx, rand(ci * co), 'bf16'));
const maxR = 16;
const inp = be.allocFloat(maxR * F);
be.uploadFloat(inp, rand(maxR * F));
const out = be.allocFloat(maxR * V);
await be.sync();

async function timeStep(R: number, path: 'tiled' | 'matvec' | 'matvec-bf16'): Promise<number> {
  MATVEC_ROUTING.maxRows = path === 'tiled' ? 0 : 16;
  const once = async () => {
    const t0 = performance.now();
    linears.forEach(([ci, co], i) => {
      if (path === 'matvec-bf16') matmulForwardHalf(be.ctx, out, inp, halfWeights[i], null, R, ci, co);
      else be.matmulForward(out, inp, weights[i], null, R, ci, co);
    });
    await be.sync();
    return performance.now() - t0;
  };
  await once(); // warm-up: pipelines compile
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

console.log('rows | tiled ms/step | matvec ms/step | matvec bf16 ms/step | tokens/s tiled -> matvec (bf16) | speed-up');
const rows: Record<string, unknown>[] = [];
for (const R of [1, 2, 4, 8, 16]) {
  const tiled = await timeStep(R, 'tiled');
  const mv = await timeStep(R, 'matvec');
  const mvh = await timeStep(R, 'matvec-bf16');
  const tps = (ms: number) => (R / ms) * 1000;
  console.log(
    `${String(R).padStart(4)} | ${tiled.toFixed(1).padStart(13)} | ${mv.toFixed(1).padStart(14)} | ${mvh.toFixed(1).padStart(19)} | ` +
      `${tps(tiled).toFixed(1)} -> ${tps(mv).toFixed(1)} (${tps(mvh).toFixed(1)}) | ${(tiled / mv).toFixed(2)}x`,
  );
  rows.push({ R, tiledMs: tiled, matvecMs: mv, matvecBf16Ms: mvh });
}
console.log(JSON.stringify({ adapter: be.deviceName, layers: L, runs, rows }));
be.destroy();
process.exit(0);
