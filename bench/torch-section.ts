// The PyTorch section of `npm run bench` (`--only torch`): what a Python user would run instead. PyTorch's CPU
// build (Debian's python3-torch with OpenBLAS, torch-python.ts) runs the same model step as our CPU backend,
// at the bench's tiny shape and at hidden 256 / 4 layers / vocab 4096 / batch 8 x 128, on one thread and on
// all threads, next to TF.js wasm (one thread: it has no threads in Node). First every contender is checked
// against our CPU backend on the same weights and inputs (log-probs, loss, every gradient, decode logits and
// greedy tokens); then the contenders are timed in alternation (one call each per round, so a noisy shared
// machine disturbs all alike), and the report gives medians and the ratios from this same run.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { parseModelConfig, type ModelConfig } from '../src/engine/config.ts';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { buildParamLayout, type ParamLayout } from '../src/engine/params.ts';
import { assertAgreement, compareWithTf, describeCheck, maxAbsDiff, oursReference, type CheckResult, type OursReference } from './check.ts';
import { BENCH, MODEL } from './config.ts';
import { benchWeights, prompts as makePrompts, trainBatch, type TrainBatch } from './data.ts';
import { OursTrainer, oursDecode, oursModel } from './ours.ts';
import { median } from './stats.ts';
import { useTfBackend } from './tfjs-backends.ts';
import { tfGenerateGreedy } from './tfjs-decode.ts';
import { disposeBatch, TfModel, tfTrainStep } from './tfjs-model.ts';
import { ensureTorch, TorchProcess } from './torch-python.ts';

interface Shape {
  name: string;
  config: Partial<ModelConfig>;
  B: number;
  T: number;
  P: number;
  G: number;
  Tp: number;
  newTokens: number;
  warmup: number;
  runs: number;
}

const { P, G, Tp, newTokens } = BENCH;
export const TORCH_SHAPES: Shape[] = [
  { name: 'tiny', config: { ...MODEL, vocab_size: 103 }, B: BENCH.B, T: BENCH.T, P, G, Tp, newTokens, warmup: 1, runs: 5 },
  {
    name: 'hidden 256',
    config: { ...MODEL, vocab_size: 4096, hidden_size: 256, intermediate_size: 512, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2 },
    B: 8,
    T: 128,
    P,
    G,
    Tp,
    newTokens,
    // One TF.js wasm training step takes ~40 s here on a loaded 2-core machine: fewer rounds.
    warmup: 1,
    runs: 3,
  },
];

type Who = 'ours-1' | 'ours-N' | 'torch-1' | 'torch-N' | 'tfjs-wasm';
type Fig = 'train' | 'forward' | 'decode';
const FIGS: Record<Fig, string> = { train: 'train step (fwd+bwd+adam)', forward: 'forward log-probs', decode: 'decode (prefill+greedy)' };

/** Torch's check file: log-probs [N], loss, gradients (flat layout), decode step-0 logits [R, V], greedy tokens [R, newTokens]. */
function readTorchCheck(file: string, N: number, total: number, R: number, V: number, newT: number) {
  const buf = readFileSync(file);
  const f = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  let at = 0;
  const take = (n: number) => f.subarray(at, (at += n));
  const logp = take(N);
  const loss = take(1)[0];
  const grads = take(total);
  const logits0 = take(R * V);
  const tokens = take(R * newT);
  if (at !== f.length) throw new Error(`torch check file has ${f.length} floats, expected ${at}`);
  return { logp, loss, grads, logits0, tokens };
}

function compareTorch(ref: OursReference, t: ReturnType<typeof readTorchCheck>, weights: Float32Array, newT: number): CheckResult {
  let oursLoss = 0;
  for (let n = 0; n < weights.length; n++) oursLoss -= weights[n] * ref.logp[n];
  let gradMaxAbs = 0;
  for (const x of ref.grads) gradMaxAbs = Math.max(gradMaxAbs, Math.abs(x));
  const R = ref.decodeTokens.length;
  let identical = 0;
  for (let r = 0; r < R; r++) if (ref.decodeTokens[r].every((x, i) => x === t.tokens[r * newT + i])) identical++;
  return {
    logpMaxAbsDiff: maxAbsDiff(ref.logp, t.logp),
    lossAbsDiff: Math.abs(oursLoss - t.loss),
    gradMaxAbsDiff: maxAbsDiff(ref.grads, t.grads),
    gradMaxAbs,
    decodeLogitsMaxAbsDiff: maxAbsDiff(ref.decodeLogits[0], t.logits0),
    decodeRowsIdentical: identical,
    decodeRows: R,
  };
}

export async function runTorchSection(): Promise<Record<string, unknown>> {
  const started = performance.now();
  console.log('\n== PyTorch: our CPU backend vs PyTorch (CPU build) and TF.js wasm, 1 thread and all threads ==');
  const status = ensureTorch();
  if (!status.ok) {
    console.log(`\n!!! SKIPPING the PyTorch section: ${status.reason}\n`);
    return { torch: { skipped: status.reason } };
  }
  const cores = os.cpus().length;
  const many = await CpuBackend.create();
  const one = new CpuBackend({ threads: 1 });
  const load = os.loadavg();
  console.log(`torch ${status.version}, ${status.note}; ours: 1 thread and ${many.deviceName}; torch: 1 and ${cores} threads; load average ${load.map((x) => x.toFixed(1)).join(' ')} on ${cores} cores`);
  const wasm = await useTfBackend('wasm');
  if (!wasm.ok) console.log(`tfjs-wasm: skipped, could not initialise: ${wasm.reason}`);
  const results: Record<string, unknown>[] = [];
  for (const s of TORCH_SHAPES) results.push(await runShape(s, one, many, cores, wasm.ok));
  many.dispose();
  const elapsed = (performance.now() - started) / 1000;
  console.log(`(PyTorch section took ${elapsed.toFixed(0)} s)`);
  return { torch: { version: status.version, blas: status.note, cores, loadAverageBefore: load, shapes: results, elapsedSeconds: elapsed } };
}

async function runShape(s: Shape, one: CpuBackend, many: CpuBackend, cores: number, withTf: boolean): Promise<Record<string, unknown>> {
  const layout: ParamLayout = buildParamLayout(parseModelConfig({ ...s.config }));
  const d = layout.dims;
  // Weights spread like the tiny bench's (std 0.2 at hidden 64), scaled so logits keep the same size at any width.
  const params = benchWeights(layout, BENCH.seed, BENCH.weightStd * Math.sqrt(64 / d.C));
  const batch: TrainBatch = trainBatch(d.V, s.B, s.T, BENCH.seed);
  const prompts = makePrompts(d.V, s.P, s.Tp, BENCH.seed);
  const shape = { G: s.G, newTokens: s.newTokens };
  const N = s.B * s.T;
  const R = s.P * s.G;
  console.log(
    `\n-- ${s.name}: hidden ${d.C}, intermediate ${d.F}, ${d.L} layers, ${d.NH} heads / ${d.KVH} kv (head_dim ${d.D}), vocab ${d.V}, ` +
      `${layout.count.toLocaleString('en-US')} parameters; train B=${s.B} x T=${s.T}; decode ${s.P} x G=${s.G} rows, prompt ${s.Tp}, ` +
      `${s.newTokens} new tokens, greedy; median of ${s.runs} after ${s.warmup} warm-up`,
  );
  const ref = await oursReference(oursModel(new CpuBackend({ threads: 1 }), layout, params), batch, s.B, s.T, prompts, shape);

  // ---- PyTorch: inputs on disk, one process per thread count, each checked against ours ----
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-torch-'));
  const spec = {
    dims: d,
    entries: layout.entries.map((e) => ({ name: e.name, offset: e.offset, size: e.size, shape: e.shape, decay: e.decay })),
    B: s.B,
    T: s.T,
    P: s.P,
    G: s.G,
    Tp: s.Tp,
    newTokens: s.newTokens,
    adam: BENCH.adam,
  };
  writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(spec));
  writeFileSync(path.join(dir, 'params.f32'), params);
  writeFileSync(path.join(dir, 'batch.bin'), Buffer.concat([batch.tokens, batch.targets, batch.weights].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  writeFileSync(path.join(dir, 'prompts.i32'), Buffer.concat(prompts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))));
  const torch: Partial<Record<'torch-1' | 'torch-N', TorchProcess>> = {};
  const checks: Record<string, CheckResult> = {};
  try {
    for (const [who, threads] of [['torch-1', 1], ['torch-N', cores]] as const) {
      const { proc, ready } = await TorchProcess.start(dir, threads);
      torch[who] = proc;
      const c = compareTorch(ref, readTorchCheck(path.join(dir, `check-${threads}.bin`), N, layout.total, R, d.V, s.newTokens), batch.weights, s.newTokens);
      console.log(describeCheck(`${who} (torch ${ready.torch}, ${ready.threads} threads, ${ready.blas})`, c));
      assertAgreement(who, c, BENCH.tolerance);
      checks[who] = c;
    }

    // ---- TF.js wasm, checked the same way ----
    let tfm: TfModel | null = null;
    if (withTf) {
      tfm = new TfModel(layout, params);
      const c = await compareWithTf(ref, tfm, batch, s.B, s.T, prompts, shape);
      console.log(describeCheck('tfjs-wasm', c));
      assertAgreement('tfjs-wasm', c, BENCH.tolerance);
      checks['tfjs-wasm'] = c;
    }

    // ---- time every contender, alternating ----
    const m1 = oursModel(one, layout, params);
    const mN = oursModel(many, layout, params);
    const t1 = new OursTrainer(m1, batch, s.B, s.T, BENCH.adam);
    const tN = new OursTrainer(mN, batch, s.B, s.T, BENCH.adam);
    const tb = tfm?.makeBatch(batch.tokens, batch.targets, batch.weights, s.B, s.T);
    const opt = tf.train.adam(BENCH.adam.lr, BENCH.adam.beta1, BENCH.adam.beta2, BENCH.adam.eps);
    const wall = async (fn: () => Promise<unknown> | unknown) => {
      const t0 = performance.now();
      await fn();
      return performance.now() - t0;
    };
    const calls: Record<Fig, Partial<Record<Who, () => Promise<number>>>> = {
      train: { 'ours-1': () => wall(() => t1.step()), 'ours-N': () => wall(() => tN.step()) },
      forward: {
        'ours-1': () => wall(() => m1.forwardLogprobs(batch.tokens, batch.targets, s.B, s.T, 1)),
        'ours-N': () => wall(() => mN.forwardLogprobs(batch.tokens, batch.targets, s.B, s.T, 1)),
      },
      decode: { 'ours-1': () => wall(() => oursDecode(m1, prompts, shape)), 'ours-N': () => wall(() => oursDecode(mN, prompts, shape)) },
    };
    for (const fig of Object.keys(calls) as Fig[]) {
      calls[fig]['torch-1'] = () => torch['torch-1']!.run(fig);
      calls[fig]['torch-N'] = () => torch['torch-N']!.run(fig);
    }
    if (tfm && tb) {
      const m = tfm;
      calls.train['tfjs-wasm'] = () => wall(() => tfTrainStep(m, opt, tb));
      calls.forward['tfjs-wasm'] = () =>
        wall(() => {
          const logp = tf.tidy(() => m.logprobs(tb));
          logp.dataSync();
          logp.dispose();
        });
      calls.decode['tfjs-wasm'] = () => wall(() => tfGenerateGreedy(m, prompts, shape));
    }
    const medians: Record<Fig, Partial<Record<Who, number>>> = { train: {}, forward: {}, decode: {} };
    const runsMs: Record<Fig, Partial<Record<Who, number[]>>> = { train: {}, forward: {}, decode: {} };
    for (const fig of Object.keys(calls) as Fig[]) {
      const entries = Object.entries(calls[fig]) as [Who, () => Promise<number>][];
      for (let round = 0; round < s.warmup + s.runs; round++) {
        for (const [who, fn] of entries) {
          const ms = await fn();
          if (round >= s.warmup) (runsMs[fig][who] ??= []).push(ms);
        }
      }
      for (const [who] of entries) medians[fig][who] = median(runsMs[fig][who]!);
      console.log(`${FIGS[fig]}: median ms ${entries.map(([who]) => `${who} ${medians[fig][who]!.toFixed(1)}`).join(', ')}`);
    }
    opt.dispose();
    if (tb) disposeBatch(tb);
    tfm?.dispose();
    t1.dispose();
    tN.dispose();

    // ---- report ----
    const tokens: Record<Fig, number> = { train: N, forward: N, decode: R * s.newTokens };
    const rate = (fig: Fig, who: Who) => (medians[fig][who] === undefined ? null : (tokens[fig] * 1000) / medians[fig][who]!);
    const ratio = (fig: Fig, a: Who, b: Who) => {
      const x = rate(fig, a);
      const y = rate(fig, b);
      return x === null || y === null ? null : x / y;
    };
    const fmt = (x: number | null) => (x === null ? 'n/a' : Math.round(x).toLocaleString('en-US'));
    const fmtR = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(x < 0.1 ? 3 : 2)}x`);
    const nT = `${many.threads}T`;
    const header = ['figure (tok/s)', 'ours 1T', `ours ${nT}`, 'torch 1T', `torch ${cores}T`, 'tfjs-wasm 1T', 'ours/torch 1T', `ours/torch ${nT}`, 'ours/tfjs-wasm 1T'];
    const rows = (Object.keys(FIGS) as Fig[]).map((fig) => [
      FIGS[fig],
      fmt(rate(fig, 'ours-1')),
      fmt(rate(fig, 'ours-N')),
      fmt(rate(fig, 'torch-1')),
      fmt(rate(fig, 'torch-N')),
      fmt(rate(fig, 'tfjs-wasm')),
      fmtR(ratio(fig, 'ours-1', 'torch-1')),
      fmtR(ratio(fig, 'ours-N', 'torch-N')),
      fmtR(ratio(fig, 'ours-1', 'tfjs-wasm')),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
    console.log('\n' + [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n'));
    return {
      name: s.name,
      dims: d,
      shapes: { B: s.B, T: s.T, P: s.P, G: s.G, Tp: s.Tp, newTokens: s.newTokens },
      checks,
      figures: (Object.keys(FIGS) as Fig[]).map((fig) => ({
        name: FIGS[fig],
        tokensPerCall: tokens[fig],
        medianMs: medians[fig],
        runsMs: runsMs[fig],
        ratios: { oursVsTorch1: ratio(fig, 'ours-1', 'torch-1'), oursVsTorchN: ratio(fig, 'ours-N', 'torch-N'), oursVsTfjsWasm1: ratio(fig, 'ours-1', 'tfjs-wasm') },
      })),
    };
  } finally {
    for (const p of Object.values(torch)) p?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
