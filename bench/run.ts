// `npm run bench`: our CPU backend against the same Llama-style model in TensorFlow.js (tfjs cpu and wasm
// backends), in one process on one core each. For each contender: check it computes the same log-probs,
// gradients and decode logits as ours, then time a training step, a forward log-prob pass and batched greedy
// decoding (median of several runs after warm-up). Prints a table and writes bench/results/latest.json.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { version_wasm } from '@tensorflow/tfjs-backend-wasm';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { createTinyModel } from '../src/engine/io/model-folder.ts';
import { assertAgreement, compareWithTf, oursReference, type CheckResult } from './check.ts';
import { BENCH, MODEL } from './config.ts';
import { benchWeights, prompts as makePrompts, trainBatch } from './data.ts';
import { OursTrainer, oursDecode, oursModel } from './ours.ts';
import { profiled, topShares } from './profile.ts';
import { formatTable, PEERS, tokensPerSec, writeResults, type Contender, type Figure } from './report.ts';
import { timeRuns, type Timing } from './stats.ts';
import { useTfBackend, type TfBackendName } from './tfjs-backends.ts';
import { tfGenerateGreedy } from './tfjs-decode.ts';
import { disposeBatch, TfModel, tfTrainStep } from './tfjs-model.ts';

const FIG = { train: 'train step (fwd+bwd+adam)', forward: 'forward log-probs', decode: 'decode (prefill+greedy)' } as const;

async function main(): Promise<void> {
  const started = performance.now();
  const { B, T, P, G, Tp, newTokens, warmup, runs } = BENCH;
  const loaded = createTinyModel({ config: MODEL, seed: BENCH.seed });
  const layout = loaded.layout;
  const d = layout.dims;
  const params = benchWeights(layout, BENCH.seed, BENCH.weightStd);
  const batch = trainBatch(d.V, B, T, BENCH.seed);
  const prompts = makePrompts(d.V, P, Tp, BENCH.seed);
  const shape = { G, newTokens };

  const device = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.arch()}` };
  const modelText =
    `llama, hidden ${d.C}, intermediate ${d.F}, ${d.L} layers, ${d.NH} heads, ${d.KVH} kv heads, head_dim ${d.D}, ` +
    `vocab ${d.V} (char tokenizer), tied embeddings, ${layout.count.toLocaleString('en-US')} parameters`;
  console.log(`device: ${device.cpu}, ${device.cores} cores, Node ${device.node} (${device.platform}); every contender runs on one thread`);
  console.log(`model:  ${modelText}`);
  console.log(
    `shapes: train/forward B=${B} x T=${T} tokens; decode ${P} prompts x G=${G} = ${P * G} rows, prompt ${Tp}, ` +
      `${newTokens} new tokens, greedy, KV cache in both; median of ${runs} runs after ${warmup} warm-up`,
  );
  console.log(`tfjs:   core ${tf.version_core}, wasm ${version_wasm}; TF.js uses tf.train.adam (no weight decay, no clipping), ours AdamW + clip ${BENCH.adam.maxGradNorm}\n`);

  const figures: Figure[] = [
    { name: FIG.train, tokens: B * T, timings: {} },
    { name: FIG.forward, tokens: B * T, timings: {} },
    { name: FIG.decode, tokens: P * G * newTokens, timings: {} },
  ];
  const record = (fig: string, who: Contender, t: Timing) => {
    figures.find((f) => f.name === fig)!.timings[who] = t;
  };

  // ---- ours ----
  const be = new CpuBackend();
  const ref = await oursReference(oursModel(be, layout, params), batch, B, T, prompts, shape);
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
    const checks = compareWithTf(ref, tfm, batch, B, T, prompts, shape);
    console.log(
      `${label}: check vs ours: log-probs max |diff| ${checks.logpMaxAbsDiff.toExponential(2)}, loss |diff| ` +
        `${checks.lossAbsDiff.toExponential(2)}, gradients max |diff| ` +
        `${checks.gradMaxAbsDiff.toExponential(2)} (max |grad| ${checks.gradMaxAbs.toExponential(2)}), decode logits max |diff| ` +
        `${checks.decodeLogitsMaxAbsDiff.toExponential(2)}, greedy rows identical ${checks.decodeRowsIdentical}/${checks.decodeRows}`,
    );
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

  // ---- report ----
  console.log('\n' + formatTable(figures));
  console.log('(tokens/s: train and forward count B*T tokens per step; decode counts generated tokens, prefill time included.)');
  const fmtK = (ks: ReturnType<typeof topShares>) => ks.map((k) => `${k.kernel} ${(100 * k.share).toFixed(0)}%`).join(', ');
  console.log(`\nours, time by kernel, train step: ${fmtK(trainKernels)}`);
  console.log(`ours, time by kernel, decode:     ${fmtK(decodeKernels)}`);
  const elapsed = (performance.now() - started) / 1000;
  const file = writeResults({
    date: new Date().toISOString(),
    device,
    model: { description: modelText, config: loaded.config },
    bench: BENCH,
    tfjs: { core: tf.version_core, wasm: version_wasm, peers },
    figures: figures.map((f) => ({
      name: f.name,
      tokensPerCall: f.tokens,
      tokensPerSec: Object.fromEntries((['ours', ...PEERS] as Contender[]).map((c) => [c, tokensPerSec(f, c)])),
      timingsMs: f.timings,
    })),
    oursKernelShares: { train: trainKernels, decode: decodeKernels },
    elapsedSeconds: elapsed,
  });
  console.log(`\nwrote ${file} (bench took ${elapsed.toFixed(0)} s)`);
}

function progress(label: string, figures: Figure[], who: Contender): void {
  const parts = figures.map((f) => `${f.name} ${f.timings[who]?.medianMs.toFixed(1) ?? 'n/a'} ms`);
  console.log(`${label}: median ${parts.join(', ')}`);
}

// Exit explicitly: the wasm backend's Emscripten glue installs process-level error handlers that rethrow.
main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
