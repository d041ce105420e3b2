// The WebGPU section of `npm run bench`: our WebGPU backend (through Dawn, the `webgpu` package) against the
// same model in TensorFlow.js's webgpu backend, both in this process on the same Dawn adapter. Figures:
// training-step tokens/s (forward + backward + optimiser), forward log-prob tokens/s, batched greedy decode
// tokens/s, and matmul GFLOP/s for one mid-sized linear layer and the model's largest. Each contender is first
// checked against our CPU backend (log-probs, gradients, decode logits; matmul outputs). On SwiftShader
// (Vulkan on the CPU) the figures are CPU-bound, so the model figures use smaller shapes and fewer repetitions
// (config.ts WEBGPU_BENCH) and the output says so. If TF.js cannot start or fails, our figures still print.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { WebGpuBackend } from '../src/engine/webgpu/backend.ts';
import { nodeGpu } from '../src/engine/webgpu/node-gpu.ts';
import { assertAgreement, compareReferences, compareWithTf, describeCheck, oursReference, type CheckResult } from './check.ts';
import { BENCH, WEBGPU_BENCH } from './config.ts';
import { FIG } from './cpu-section.ts';
import { adapterLine, describeAdapterOf, type AdapterDescription, type VulkanEnv } from './gpu-env.ts';
import { flopsOf, largestLinear, matmulInputs, oursMatmul, tfMatmul, type MatmulRunner, type MatmulShape } from './matmul.ts';
import { OursTrainer, oursDecode, oursModel } from './ours.ts';
import { formatGpuTable, type GpuRow } from './report.ts';
import { makeSetup, shapesLine, type BenchModel } from './setup.ts';
import { timeRuns, type Timing } from './stats.ts';
import { tfGenerateGreedy } from './tfjs-decode.ts';
import { disposeBatch, TfModel, tfTrainStep } from './tfjs-model.ts';
import { useTfWebGpu } from './tfjs-webgpu.ts';

type Who = 'ours' | 'tfjs';

interface ModelFigure {
  name: string;
  tokens: number;
  timings: Partial<Record<Who, Timing>>;
}

interface MatmulFigure {
  shape: MatmulShape;
  reps: number;
  maxAbsDiff: Partial<Record<Who, number>>;
  timings: Partial<Record<Who, Timing>>; // per timed call of `reps` matmuls
}

export interface WebGpuSectionResult {
  available: boolean;
  json: Record<string, unknown>;
}

const SWIFTSHADER_NOTE =
  'SwiftShader runs Vulkan on the CPU: these WebGPU figures are CPU-bound (its threads share this machine\'s ' +
  `${os.cpus().length} cores with Node) and are not representative of a GPU; they check that the path works and compare the two ` +
  'implementations under the same handicap.';

export async function runWebGpuSection(m: BenchModel, vulkan: VulkanEnv): Promise<WebGpuSectionResult> {
  const started = performance.now();
  const { layout, params, d } = m;
  console.log(`\n== WebGPU: our WebGPU backend vs TF.js webgpu, same process, same Dawn adapter ==`);
  console.log(`vulkan: ${vulkan.note}`);
  const unavailable = (reason: string): WebGpuSectionResult => {
    console.log(`webgpu: section skipped, no WebGPU device: ${reason}`);
    return { available: false, json: { date: new Date().toISOString(), status: `unavailable: ${reason}`, vulkan } };
  };

  // ---- our backend ----
  let gpu: GPU;
  let adapter: AdapterDescription | null;
  let ours: WebGpuBackend;
  try {
    gpu = await nodeGpu();
    adapter = await describeAdapterOf(gpu);
    if (!adapter) return unavailable(`Dawn found no WebGPU adapter (requestAdapter() returned null; ${vulkan.note})`);
    ours = await WebGpuBackend.create(gpu);
  } catch (e) {
    return unavailable(e instanceof Error ? e.message : String(e));
  }
  const reps = adapter.swiftshader ? WEBGPU_BENCH.swiftshader : WEBGPU_BENCH.gpu;
  const { B, T } = reps;
  console.log(`adapter: ${adapterLine(adapter)}`);
  if (adapter.swiftshader) console.log(`NOTE: ${SWIFTSHADER_NOTE}`);
  console.log(shapesLine(reps, reps) + (adapter.swiftshader ? ' (smaller and fewer than the CPU section: SwiftShader is slow)' : ''));
  console.log(`matmul: ${reps.matmulReps} matmuls recorded per timed call, then one wait for the GPU; same median/warm-up`);
  const { batch, prompts, shape, ref } = await makeSetup(m, reps);

  const figures: ModelFigure[] = [
    { name: FIG.train, tokens: B * T, timings: {} },
    { name: FIG.forward, tokens: B * T, timings: {} },
    { name: FIG.decode, tokens: prompts.length * shape.G * shape.newTokens, timings: {} },
  ];
  const record = (fig: string, who: Who, t: Timing) => {
    figures.find((f) => f.name === fig)!.timings[who] = t;
  };
  const shapes: MatmulShape[] = [WEBGPU_BENCH.matmul, largestLinear(d, BENCH.B * BENCH.T)];
  const matmuls: MatmulFigure[] = shapes.map((shape) => ({ shape, reps: reps.matmulReps, maxAbsDiff: {}, timings: {} }));
  const inputs = shapes.map((sh, i) => matmulInputs(sh, BENCH.seed + i));
  const timeMatmuls = async (who: Who, make: (sh: MatmulShape, i: number) => MatmulRunner) => {
    for (const [i, m] of matmuls.entries()) {
      const runner = make(m.shape, i);
      const diff = await runner.check();
      const scale = inputs[i].expected.reduce((a, x) => Math.max(a, Math.abs(x)), 1);
      m.maxAbsDiff[who] = diff;
      if (!(diff <= WEBGPU_BENCH.matmulTolerance * scale)) {
        throw new Error(`${who} webgpu matmul ${shapeText(m.shape)} differs from the CPU backend by ${diff.toExponential(2)} (max |out| ${scale.toFixed(2)})`);
      }
      m.timings[who] = await timeRuns(() => runner.run(m.reps), reps.warmup, reps.runs);
      runner.dispose();
    }
  };

  // ---- ours: check, then time ----
  const ctx = ours.ctx;
  const model = oursModel(ours, layout, params);
  const oursRef = await oursReference(model, batch, B, T, prompts, shape);
  const oursChecks = compareReferences(ref, oursRef, batch.weights, d.V);
  console.log(describeCheck('ours-webgpu', oursChecks));
  assertAgreement('ours-webgpu', oursChecks, BENCH.tolerance);
  record(FIG.decode, 'ours', await timeRuns(() => oursDecode(model, prompts, shape), reps.warmup, reps.runs));
  record(FIG.forward, 'ours', await timeRuns(() => model.forwardLogprobs(batch.tokens, batch.targets, B, T, 1), reps.warmup, reps.runs));
  const trainer = new OursTrainer(model, batch, B, T, BENCH.adam);
  await trainer.step(); // warm-up outside the counters below
  const c0 = { submits: ctx.submits, pipelines: ctx.pipelinesCreated, bindGroups: ctx.bindGroupsCreated };
  record(FIG.train, 'ours', await timeRuns(() => trainer.step(), Math.max(0, reps.warmup - 1), reps.runs));
  const steps = reps.runs + Math.max(0, reps.warmup - 1);
  const engine = {
    submitsPerTrainStep: (ctx.submits - c0.submits) / steps,
    pipelinesCreatedInTimedSteps: ctx.pipelinesCreated - c0.pipelines,
    bindGroupsCreatedInTimedSteps: ctx.bindGroupsCreated - c0.bindGroups,
    gpuBytesInUse: ours.bytesInUse,
  };
  trainer.dispose();
  model.releaseActivations();
  ours.free(model.params);
  ours.free(model.grads);
  await timeMatmuls('ours', (sh, i) => oursMatmul(ours, sh, inputs[i]));
  progress('ours-webgpu', figures, matmuls, 'ours');
  console.log(
    `ours-webgpu: ${engine.submitsPerTrainStep.toFixed(1)} command buffers per train step; pipelines/bind groups created during timed steps: ` +
      `${engine.pipelinesCreatedInTimedSteps}/${engine.bindGroupsCreatedInTimedSteps}`,
  );
  const oursDeviceName = ours.deviceName;
  ours.destroy(); // TF.js gets the adapter to itself

  // ---- TF.js webgpu: a failure here (initialisation, disagreement, a GPU error) skips TF.js, not our figures ----
  let tfjs: Record<string, unknown>;
  const st = await useTfWebGpu(gpu);
  if (!st.ok) {
    console.log(`tfjs-webgpu: skipped, could not initialise: ${st.reason}`);
    tfjs = { status: `unavailable: ${st.reason}` };
  } else {
    const sameAdapter = st.adapter.vendor === adapter.vendor && st.adapter.architecture === adapter.architecture && st.adapter.description === adapter.description;
    console.log(`tfjs-webgpu: ${st.note}`);
    console.log(`tfjs-webgpu: adapter ${sameAdapter ? 'is the same as ours' : `DIFFERS from ours: ${adapterLine(st.adapter)}`}`);
    tfjs = { status: st.note, version: st.version, adapter: st.adapter, sameAdapterAsOurs: sameAdapter };
    try {
      const before = tf.memory().numTensors;
      const tfm = new TfModel(layout, params);
      const checks: CheckResult = await compareWithTf(ref, tfm, batch, B, T, prompts, shape);
      tfjs.checks = checks;
      console.log(describeCheck('tfjs-webgpu', checks));
      assertAgreement('tfjs-webgpu', checks, BENCH.tolerance);
      record(FIG.decode, 'tfjs', await timeRuns(() => tfGenerateGreedy(tfm, prompts, shape), reps.warmup, reps.runs));
      const tb = tfm.makeBatch(batch.tokens, batch.targets, batch.weights, B, T);
      const forward = async () => {
        const logp = tf.tidy(() => tfm.logprobs(tb));
        await logp.data();
        logp.dispose();
      };
      record(FIG.forward, 'tfjs', await timeRuns(forward, reps.warmup, reps.runs));
      const opt = tf.train.adam(BENCH.adam.lr, BENCH.adam.beta1, BENCH.adam.beta2, BENCH.adam.eps);
      record(FIG.train, 'tfjs', await timeRuns(() => tfTrainStep(tfm, opt, tb), reps.warmup, reps.runs));
      opt.dispose();
      disposeBatch(tb);
      tfm.dispose();
      await timeMatmuls('tfjs', (sh, i) => tfMatmul(st.backend, sh, inputs[i]));
      const leaked = tf.memory().numTensors - before;
      if (leaked > 0) console.log(`tfjs-webgpu: note: ${leaked} tensors left allocated after the run`);
      progress('tfjs-webgpu', figures, matmuls, 'tfjs');
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      console.log(`tfjs-webgpu: skipped, failed: ${reason}`);
      tfjs.status = `failed: ${reason}`;
      for (const f of [...figures, ...matmuls]) delete f.timings.tfjs;
    }
  }

  // ---- report ----
  const rate = (f: ModelFigure, who: Who) => (f.timings[who] ? (f.tokens * 1000) / f.timings[who].medianMs : null);
  const gflops = (m: MatmulFigure, who: Who) => (m.timings[who] ? (flopsOf(m.shape) * m.reps) / (m.timings[who].medianMs * 1e6) : null);
  const rows: GpuRow[] = [
    ...figures.map((f) => ({ name: f.name, unit: 'tok/s' as const, ours: rate(f, 'ours'), tfjs: rate(f, 'tfjs') })),
    ...matmuls.map((m) => ({ name: `matmul ${shapeText(m.shape)}`, unit: 'GFLOP/s' as const, ours: gflops(m, 'ours'), tfjs: gflops(m, 'tfjs') })),
  ];
  const deviceName = `${adapter.description || adapter.architecture} (${adapter.vendor}, ${adapter.architecture})`;
  console.log(`\nWebGPU device: ${deviceName}${adapter.swiftshader ? ' -- CPU-bound, not representative of a GPU' : ''}`);
  console.log(formatGpuTable(rows));
  console.log(
    '(tokens/s as in the CPU table; matmul: out[N,OC] = inp[N,C] @ weight[OC,C]^T, 2*N*C*OC flops, forward only. ' +
      'TF.js trains with tf.train.adam, ours AdamW + clipping.)',
  );
  const elapsed = (performance.now() - started) / 1000;
  console.log(`(WebGPU section took ${elapsed.toFixed(0)} s)`);
  return {
    available: true,
    json: {
      date: new Date().toISOString(),
      status: 'ok',
      vulkan,
      adapter,
      deviceName,
      cpuBound: adapter.swiftshader,
      note: adapter.swiftshader ? SWIFTSHADER_NOTE : undefined,
      shapesAndRepetitions: reps,
      ours: { deviceName: oursDeviceName, checks: oursChecks, engine },
      tfjs,
      figures: rows,
      timingsMs: {
        model: figures.map((f) => ({ name: f.name, tokensPerCall: f.tokens, ...f.timings })),
        matmul: matmuls.map((m) => ({ ...m.shape, flopsPerMatmul: flopsOf(m.shape), matmulsPerCall: m.reps, maxAbsDiffVsCpu: m.maxAbsDiff, ...m.timings })),
      },
      elapsedSeconds: elapsed,
    },
  };
}

function shapeText(m: MatmulShape): string {
  return `N=${m.N} C=${m.C} OC=${m.OC} (${m.name})`;
}

function progress(label: string, figures: ModelFigure[], matmuls: MatmulFigure[], who: Who): void {
  const parts = [
    ...figures.map((f) => `${f.name} ${f.timings[who]?.medianMs.toFixed(0) ?? 'n/a'} ms`),
    ...matmuls.map((m) => `matmul N=${m.shape.N} C=${m.shape.C} OC=${m.shape.OC} ${m.timings[who] ? (m.timings[who].medianMs / m.reps).toFixed(1) : 'n/a'} ms`),
  ];
  console.log(`${label}: median ${parts.join(', ')}`);
}
