// The wasm section of `npm run bench` (`--only wasm`): the CPU backend's WebAssembly SIMD kernels (kernels: 'wasm',
// the default) against its plain TypeScript ones (kernels: 'js'), on one thread and on two. Per kernel, GFLOP/s of
// the matmuls (forward, and backward dinp + dweight) and of the fused log-prob head at the bench model's shapes and
// at hidden 256 / 4 layers / vocab 4096 / batch 8 x 128 (H256 below); then the whole GRPO-shaped training step
// (forward log-probs, weighted backward, AdamW) at both, and where the wasm step's time goes now. Each pair is timed
// alternately (a round runs js then wasm), medians reported; the log-probs of both are checked close first. On one
// thread the process's CPU time per call is reported too: on a shared machine it counts only our own work, where
// wall time also counts the waits for a core.
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import type { ModelConfig } from '../src/engine/config.ts';
import { createTinyModel } from '../src/engine/io/model-folder.ts';
import { Rng } from '../src/engine/rng.ts';
import { BENCH, MODEL } from './config.ts';
import { benchWeights, trainBatch } from './data.ts';
import { OursTrainer, oursModel } from './ours.ts';
import { profiled, topShares } from './profile.ts';
import { median, timeAlternating } from './stats.ts';

/** The mid-size shape of issue 16 (the PyTorch comparison's): intermediate 2 x hidden, as the bench model has. */
export const H256: { model: Partial<ModelConfig>; B: number; T: number } = {
  model: {
    ...MODEL,
    hidden_size: 256,
    intermediate_size: 512,
    num_hidden_layers: 4,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    vocab_size: 4096,
    max_position_embeddings: 256,
  },
  B: 8,
  T: 128,
};

interface KernelRow {
  shape: string;
  kernel: string;
  threads: number;
  /** From wall time. */
  jsGflops: number;
  wasmGflops: number;
  /** From the process's CPU time (one thread only, else null). */
  jsCpuGflops: number | null;
  wasmCpuGflops: number | null;
}

interface StepRow {
  shape: string;
  threads: number;
  /** Median wall time of a step. */
  jsMs: number;
  wasmMs: number;
  /** Median CPU time of a step (one thread only, else null). */
  jsCpuMs: number | null;
  wasmCpuMs: number | null;
}

/** `fn`, pushing the process's CPU time (user + system) of each call into `out`, in ms. */
function cpuTimed(fn: () => unknown, out: number[]): () => Promise<void> {
  return async () => {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    out.push((c.user + c.system) / 1000);
  };
}

/** Wall and CPU medians (ms) of a and b timed alternately; the CPU figures are null with more than one thread. */
async function pair(a: () => unknown, b: () => unknown, runs: number, threads: number) {
  const [ca, cb]: number[][] = [[], []];
  const [ta, tb] = await timeAlternating(cpuTimed(a, ca), cpuTimed(b, cb), 1, runs);
  const one = threads === 1;
  // the warm-up round is recorded too: drop it
  return { a: ta.medianMs, b: tb.medianMs, cpuA: one ? median(ca.slice(1)) : null, cpuB: one ? median(cb.slice(1)) : null };
}

const backends = async (threads: number) => ({
  js: await CpuBackend.create({ threads, kernels: 'js' }),
  wasm: await CpuBackend.create({ threads, kernels: 'wasm' }),
});

function randomTensor(be: CpuBackend, rng: Rng, n: number, scale = 1): Float32Array {
  const t = be.allocFloat(n);
  for (let i = 0; i < n; i++) t[i] = rng.normal() * scale;
  return t;
}

/** GFLOP/s of js and wasm on one kernel call (wall, then CPU time), timed alternately; `make` builds its tensors. */
async function kernelRate(js: CpuBackend, wasm: CpuBackend, flops: number, runs: number, make: (be: CpuBackend) => () => void) {
  const t = await pair(make(js), make(wasm), runs, js.threads);
  const rate = (ms: number | null) => (ms === null ? null : flops / ms / 1e6);
  return { jsGflops: flops / t.a / 1e6, wasmGflops: flops / t.b / 1e6, jsCpuGflops: rate(t.cpuA), wasmCpuGflops: rate(t.cpuB) };
}

async function kernelRows(shape: string, N: number, linears: [string, number, number][], C: number, V: number, threads: number, runs: number): Promise<KernelRow[]> {
  const { js, wasm } = await backends(threads);
  const rows: KernelRow[] = [];
  const push = (kernel: string, r: Awaited<ReturnType<typeof kernelRate>>) => rows.push({ shape, kernel, threads, ...r });
  for (const [name, K, OC] of linears) {
    const fwd = (be: CpuBackend) => {
      const rng = new Rng(1, 1);
      const [x, w, y] = [randomTensor(be, rng, N * K), randomTensor(be, rng, OC * K, 0.1), be.allocFloat(N * OC)];
      return () => be.matmulForward(y, x, w, null, N, K, OC);
    };
    push(`matmul ${name} ${K}->${OC} forward`, await kernelRate(js, wasm, 2 * N * K * OC, runs, fwd));
    const bwd = (be: CpuBackend) => {
      const rng = new Rng(2, 1);
      const [x, w, d] = [randomTensor(be, rng, N * K), randomTensor(be, rng, OC * K, 0.1), randomTensor(be, rng, N * OC)];
      const [dx, dw] = [be.allocFloat(N * K), be.allocFloat(OC * K)];
      return () => be.matmulBackward(dx, dw, null, d, x, w, N, K, OC);
    };
    push(`matmul ${name} ${K}->${OC} backward (dinp+dweight)`, await kernelRate(js, wasm, 4 * N * K * OC, runs, bwd));
  }
  const head = (backward: boolean) => (be: CpuBackend) => {
    const rng = new Rng(3, 1);
    const [h, w] = [randomTensor(be, rng, N * C), randomTensor(be, rng, V * C, 0.1)];
    const targets = be.allocInt(N).map(() => rng.int(V));
    const [logp, lse, ent] = [be.allocFloat(N), be.allocFloat(N), be.allocFloat(N)];
    be.logprobForward(logp, lse, ent, h, w, targets, N, C, V, 1);
    if (!backward) return () => be.logprobForward(logp, lse, ent, h, w, targets, N, C, V, 1);
    const dlogp = randomTensor(be, rng, N);
    const [dh, dw] = [be.allocFloat(N * C), be.allocFloat(V * C)];
    return () => be.logprobBackward(dh, dw, dlogp, h, w, targets, lse, N, C, V, 1);
  };
  push(`log-prob head ${C}x${V} forward`, await kernelRate(js, wasm, 2 * N * C * V, runs, head(false)));
  push(`log-prob head ${C}x${V} backward`, await kernelRate(js, wasm, 6 * N * C * V, runs, head(true)));
  js.dispose();
  wasm.dispose();
  return rows;
}

async function stepRows(shape: string, config: Partial<ModelConfig>, B: number, T: number, threads: number, runs: number) {
  const loaded = createTinyModel({ config, seed: BENCH.seed });
  const params = benchWeights(loaded.layout, BENCH.seed, BENCH.weightStd);
  const batch = trainBatch(loaded.config.vocab_size, B, T, BENCH.seed);
  const { js, wasm } = await backends(threads);
  const trainer = (be: CpuBackend) => new OursTrainer(oursModel(be, loaded.layout, params), batch, B, T, BENCH.adam);
  // the two must agree before they are timed (f32 sums in wasm, f64 sums in TypeScript)
  const lj = (await oursModel(js, loaded.layout, params).forwardLogprobs(batch.tokens, batch.targets, B, T, 1)).logp;
  const lw = (await oursModel(wasm, loaded.layout, params).forwardLogprobs(batch.tokens, batch.targets, B, T, 1)).logp;
  let diff = 0;
  for (let i = 0; i < lj.length; i++) diff = Math.max(diff, Math.abs(lj[i] - lw[i]));
  if (!(diff < BENCH.tolerance)) throw new Error(`${shape}: wasm log-probs differ from TypeScript by ${diff}`);
  const tj = trainer(js);
  const tw = trainer(wasm);
  const t = await pair(() => tj.step(), () => tw.step(), runs, threads);
  let profile: { kernel: string; ms: number; share: number }[] = [];
  if (threads === 1) {
    const prof = profiled(wasm);
    await new OursTrainer(oursModel(prof.backend, loaded.layout, params), batch, B, T, BENCH.adam).step();
    profile = topShares(prof.totals, 8);
  }
  js.dispose();
  wasm.dispose();
  return { row: { shape, threads, jsMs: t.a, wasmMs: t.b, jsCpuMs: t.cpuA, wasmCpuMs: t.cpuB } satisfies StepRow, profile, maxLogpDiff: diff };
}

const f1 = (x: number) => x.toFixed(1);
const cpuNote = (js: number | null, wasm: number | null, unit: string, digits: number) =>
  js === null || wasm === null ? '' : `; CPU time: js ${js.toFixed(digits)}, wasm ${wasm.toFixed(digits)} ${unit} (${f1(unit === 'ms' ? js / wasm : wasm / js)}x)`;

export async function runWasmSection(): Promise<Record<string, unknown>> {
  console.log('\n== CPU kernels: WebAssembly SIMD (wasm/) vs plain TypeScript, same backend, timed alternately, medians ==');
  const bench = createTinyModel({ config: MODEL, seed: BENCH.seed }).layout.dims;
  const h = H256.model;
  const shapes = [
    {
      name: `bench model (hidden ${bench.C}, B ${BENCH.B} x T ${BENCH.T})`,
      N: BENCH.B * BENCH.T,
      linears: [['mlp gate/up', bench.C, bench.F], ['mlp down', bench.F, bench.C]] as [string, number, number][],
      C: bench.C,
      V: bench.V,
      config: MODEL,
      B: BENCH.B,
      T: BENCH.T,
      runs: 5,
    },
    {
      name: `hidden 256, 4 layers, vocab 4096 (B ${H256.B} x T ${H256.T})`,
      N: H256.B * H256.T,
      linears: [['attn q/o', 256, 256], ['mlp gate/up', 256, 512], ['mlp down', 512, 256]] as [string, number, number][],
      C: h.hidden_size!,
      V: h.vocab_size!,
      config: h,
      B: H256.B,
      T: H256.T,
      runs: 3,
    },
  ];
  const kernels: KernelRow[] = [];
  const steps: StepRow[] = [];
  const profiles: Record<string, unknown> = {};
  for (const s of shapes) {
    for (const threads of [1, 2]) {
      const rows = await kernelRows(s.name, s.N, s.linears, s.C, s.V, threads, s.runs);
      kernels.push(...rows);
      for (const r of rows) {
        const wall = `js ${f1(r.jsGflops)}, wasm ${f1(r.wasmGflops)} GFLOP/s (${f1(r.wasmGflops / r.jsGflops)}x)`;
        console.log(`  ${s.name}, ${threads} thread${threads > 1 ? 's' : ''}: ${r.kernel}: wall: ${wall}${cpuNote(r.jsCpuGflops, r.wasmCpuGflops, 'GFLOP/s', 1)}`);
      }
      const st = await stepRows(s.name, s.config, s.B, s.T, threads, s.runs);
      steps.push(st.row);
      const r = st.row;
      const wall = `js ${r.jsMs.toFixed(0)} ms, wasm ${r.wasmMs.toFixed(0)} ms (${f1(r.jsMs / r.wasmMs)}x)`;
      console.log(`  ${s.name}, ${threads} thread${threads > 1 ? 's' : ''}: training step: wall: ${wall}${cpuNote(r.jsCpuMs, r.wasmCpuMs, 'ms', 0)}; max |logp js - wasm| ${st.maxLogpDiff.toExponential(1)}`);
      if (st.profile.length > 0) {
        profiles[s.name] = st.profile;
        console.log(`  where the wasm step's time goes (1 thread): ${st.profile.map((p) => `${p.kernel} ${(100 * p.share).toFixed(0)}%`).join(', ')}`);
      }
    }
  }
  return { wasm: { date: new Date().toISOString(), kernels, steps, profiles } };
}
