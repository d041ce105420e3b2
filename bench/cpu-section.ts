// The CPU section of `npm run bench`: our CPU backend against the same Llama-style model in TensorFlow.js
// (tfjs cpu and wasm backends), one core each. For each contender: check it computes the same log-probs,
// gradients and decode logits as ours, then time a training step, a forward log-prob pass and batched greedy
// decoding (median of several runs after warm-up). Then our backend on one thread vs its default thread count
// (threads-section.ts). Prints tables; returns the JSON fields of the section.
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { assertAgreement, compareWithTf, describeCheck, type CheckResult } from './check.ts';
import { BENCH } from './config.ts';
import { OursTrainer, oursDecode, oursModel } from './ours.ts';
import { profiled, topShares } from './profile.ts';
import { formatTable, PEERS, tokensPerSec, type Contender, type Figure } from './report.ts';
import { makeSetup, shapesLine, type BenchModel } from './setup.ts';
import { runThreadsRows } from './threads-section.ts';
import { timeRuns, type Timing } from './stats.ts';
import { useTfBackend, type TfBackendName } from './tfjs-backends.ts';
import { tfGenerateGreedy } from './tfjs-decode.ts';
import { disposeBatch, TfModel, tfTrainStep } from './tfjs-model.ts';

export const FIG = { train: 'train step (fwd+bwd+adam)', forward: 'forward log-probs', decode: 'decode (prefill+greedy)' } as const;

export async function runCpuSection(m: BenchModel): Promise<Record<string, unknown>> {
  const started = performance.now();
  const { B, T, warmup, runs } = BENCH;
  console.log(`\n== CPU: our CPU backend vs TF.js cpu and wasm, every contender on one thread ==`);
  console.log(shapesLine(BENCH, BENCH));
  const setup = await makeSetup(m, BENCH);
  const { layout, params, batch, prompts, shape, ref } = setup;
  console.log(`tfjs:   core ${tf.version_core}, wasm ${version_wasm}; TF.js uses tf.train.adam (no weight decay, no clipping), ours AdamW + clip ${BENCH.adam.maxGradNorm}\n`);

  const figures: Figure[] = [
    { name: FIG.train, tokens: B * T, timings: {} },
    { name: FIG.forward, tokens: B * T, timings: {} },
    { name: FIG.decode, tokens: prompts.length * shape.G * shape.newTokens, timings: {} },
  ];
  const record = (fig: string, who: Contender, t: Timing) => {
    figures.find((f) => f.name === fig)!.timings[who] = t;
  };

  // ---- ours, on one thread like the peers ----
  const be = new CpuBackend({ threads: 1 });
  {
    const model = oursModel(be, layout, params);
    record(FIG.decode, 'ours', await timeRuns(() => oursDecode(model, prompts, shape), warmup, runs));
    record(FIG.forward, 'ours', await timeRuns(() => model.forwardLogprobs(batch.tokens, batch.targets, B, T, 1), warmup, runs));
    const trainer = new OursTrainer(model, batch, B, T, BENCH.adam);
    record(FIG.train, 'ours', await timeRuns(() => trainer.step(), warmup, runs));
    progress('ours', figures, 'ours');
  }
  // Kernel breakdown of one training step and one decode call (separate models, so the figures above are unaffected).
  const prof = profiled(be);
  const pm = oursModel(prof.backend, layout, params);
  await new OursTrainer(pm, batch, B, T, BENCH.adam).step();
  const trainKernels = topShares(prof.totals, 6);
  prof.reset();
  await oursDecode(pm, prompts, shape);
  const decodeKernels = topShares(prof.totals, 6);

  // ---- TF.js peers ----
  const peers: Record<string, { status: string; checks?: CheckResult }> = {};
  for (const name of ['cpu', 'wasm'] as TfBackendName[]) {
    const label: Contender = name === 'cpu' ? 'tfjs-cpu' : 'tfjs-wasm';
    const status = await useTfBackend(name);
    if (!status.ok) {
      console.log(`${label}: skipped, could not initialise: ${status.reason}`);
      peers[label] = { status: `unavailable: ${status.reason}` };
      continue;
    }
    const before = tf.memory().numTensors;
    const tfm = new TfModel(layout, params);
    const checks = await compareWithTf(ref, tfm, batch, B, T, prompts, shape);
    console.log(describeCheck(label, checks));
    assertAgreement(label, checks, BENCH.tolerance);
    const note = status.note + (tfm.embedByOneHot ? '; no UnsortedSegmentSum kernel, so training embeds by one-hot matmul' : '');
    console.log(`${label}: ${note}`);
    peers[label] = { status: note, checks };

    record(FIG.decode, label, await timeRuns(() => tfGenerateGreedy(tfm, prompts, shape), warmup, runs));
    const tb = tfm.makeBatch(batch.tokens, batch.targets, batch.weights, B, T);
    const forward = () => {
      const logp = tf.tidy(() => tfm.logprobs(tb));
      logp.dataSync();
      logp.dispose();
    };
    record(FIG.forward, label, await timeRuns(forward, warmup, runs));
    const opt = tf.train.adam(BENCH.adam.lr, BENCH.adam.beta1, BENCH.adam.beta2, BENCH.adam.eps);
    record(FIG.train, label, await timeRuns(() => tfTrainStep(tfm, opt, tb), warmup, runs));
    opt.dispose();
    disposeBatch(tb);
    tfm.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) console.log(`${label}: note: ${leaked} tensors left allocated after the run`);
    progress(label, figures, label);
  }

  // ---- ours, 1 thread vs several ----
  const threads = await runThreadsRows(setup);

  // ---- report ----
  console.log('\n' + formatTable(figures));
  console.log('(tokens/s: train and forward count B*T tokens per step; decode counts generated tokens, prefill time included.)');
  const fmtK = (ks: ReturnType<typeof topShares>) => ks.map((k) => `${k.kernel} ${(100 * k.share).toFixed(0)}%`).join(', ');
  console.log(`\nours, time by kernel, train step: ${fmtK(trainKernels)}`);
  console.log(`ours, time by kernel, decode:     ${fmtK(decodeKernels)}`);
  const elapsed = (performance.now() - started) / 1000;
  console.log(`(CPU section took ${elapsed.toFixed(0)} s)`);
  return {
    tfjs: { core: tf.version_core, wasm: version_wasm, peers },
    figures: figures.map((f) => ({
      name: f.name,
      tokensPerCall: f.tokens,
      tokensPerSec: Object.fromEntries((['ours', ...PEERS] as Contender[]).map((c) => [c, tokensPerSec(f, c)])),
      timingsMs: f.timings,
    })),
    oursKernelShares: { train: trainKernels, decode: decodeKernels },
    ...threads,
    elapsedSeconds: elapsed,
  };
}

function progress(label: string, figures: Figure[], who: Contender): void {
  const parts = figures.map((f) => `${f.name} ${f.timings[who]?.medianMs.toFixed(1) ?? 'n/a'} ms`);
  console.log(`${label}: median ${parts.join(', ')}`);
}
