// The threads rows of the CPU section: our CPU backend on one thread against the same backend with its default
// thread count (min(cores, 8)), on the same model step. First checks that the threaded run is bit-identical to
// the single-threaded reference (log-probs, gradients, decode logits and tokens), then times both in alternation
// (one run of each per round, so a noisy shared machine disturbs both alike) and reports medians.
import os from 'node:os';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { oursReference, type OursReference } from './check.ts';
import { BENCH } from './config.ts';
import { parallelHeadroom } from './parallel-probe.ts';
import { OursTrainer, oursDecode, oursModel } from './ours.ts';
import type { BenchSetup } from './setup.ts';
import { median, timeAlternating, type Timing } from './stats.ts';

interface Row {
  name: string;
  tokens: number;
  one: Timing;
  many: Timing;
  /** Median CPU time per call (all threads of the process), ms: what the split costs in work, whatever the load. */
  cpuOne: number;
  cpuMany: number;
}

/** `fn`, recording the process's CPU time (user + system, every thread) of each call into `out`, in ms. */
function cpuTimed(fn: () => Promise<unknown>, out: number[]): () => Promise<void> {
  return async () => {
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    out.push((c.user + c.system) / 1000);
  };
}

/** Indices where two arrays differ in bits (NaN-safe), as a count. */
function bitDifferences(a: Float32Array | Int32Array, b: Float32Array | Int32Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  const ua = new Int32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Int32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) n++;
  return n;
}

function compareReference(ref: OursReference, got: OursReference): string[] {
  const bad: string[] = [];
  const check = (what: string, a: Float32Array | Int32Array, b: Float32Array | Int32Array) => {
    const n = bitDifferences(a, b);
    if (n > 0) bad.push(`${what}: ${n} elements differ`);
  };
  check('log-probs', ref.logp, got.logp);
  check('gradients', ref.grads, got.grads);
  ref.decodeLogits.forEach((l, t) => check(`decode logits step ${t}`, l, got.decodeLogits[t]));
  ref.decodeTokens.forEach((x, r) => check(`decode tokens row ${r}`, x, got.decodeTokens[r]));
  return bad;
}

export async function runThreadsRows(s: BenchSetup): Promise<Record<string, unknown>> {
  const { B, T, warmup, runs } = BENCH;
  const one = new CpuBackend({ threads: 1 });
  const many = await CpuBackend.create();
  const loadBefore = os.loadavg();
  const load = loadBefore.map((x) => x.toFixed(1)).join(' ');
  console.log(`\n== CPU threads: our CPU backend, 1 thread vs ${many.deviceName} ==`);
  console.log(`load average before (1, 5, 15 min): ${load} on ${os.cpus().length} cores; a shared machine caps the speedup`);
  if (many.threads < 2) {
    console.log(`skipped: ${many.deviceName}`);
    return { threads: { skipped: many.deviceName } };
  }

  const headroomBefore = await parallelHeadroom(many.threads);
  console.log(`machine headroom: ${many.threads} threads run ${headroomBefore.toFixed(2)}x the work of 1 in the same time (a plain JavaScript loop, parallel-probe.ts)`);

  const bad = compareReference(s.ref, await oursReference(oursModel(many, s.layout, s.params), s.batch, B, T, s.prompts, s.shape));
  if (bad.length > 0) throw new Error(`threaded CPU backend is not bit-identical to one thread: ${bad.join('; ')}`);
  console.log('check: log-probs, gradients, decode logits and tokens bit-identical to one thread');

  const m1 = oursModel(one, s.layout, s.params);
  const mN = oursModel(many, s.layout, s.params);
  const t1 = new OursTrainer(m1, s.batch, B, T, BENCH.adam);
  const tN = new OursTrainer(mN, s.batch, B, T, BENCH.adam);
  const splitBefore = many.splitCalls;
  const rows: Row[] = [];
  const add = async (name: string, tokens: number, f1: () => Promise<unknown>, fN: () => Promise<unknown>) => {
    const c1: number[] = [];
    const cN: number[] = [];
    const [a, b] = await timeAlternating(cpuTimed(f1, c1), cpuTimed(fN, cN), warmup, runs);
    const row = { name, tokens, one: a, many: b, cpuOne: median(c1.slice(warmup)), cpuMany: median(cN.slice(warmup)) };
    rows.push(row);
    console.log(
      `${name}: median ${a.medianMs.toFixed(1)} ms on 1 thread, ${b.medianMs.toFixed(1)} ms on ${many.threads} ` +
        `(CPU time ${row.cpuOne.toFixed(0)} ms vs ${row.cpuMany.toFixed(0)} ms)`,
    );
  };
  await add('train step (fwd+bwd+adam)', B * T, () => t1.step(), () => tN.step());
  await add('forward log-probs', B * T, () => m1.forwardLogprobs(s.batch.tokens, s.batch.targets, B, T, 1), () => mN.forwardLogprobs(s.batch.tokens, s.batch.targets, B, T, 1));
  const decodeTokens = s.prompts.length * s.shape.G * s.shape.newTokens;
  await add('decode (prefill+greedy)', decodeTokens, () => oursDecode(m1, s.prompts, s.shape), () => oursDecode(mN, s.prompts, s.shape));
  const splitCalls = many.splitCalls - splitBefore;

  const rate = (tokens: number, t: Timing) => (tokens * 1000) / t.medianMs;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  const header = ['figure', '1 thread tok/s', `${many.threads} threads tok/s`, 'speedup', 'CPU time, threads / 1'];
  const cells = rows.map((r) => [
    r.name,
    fmt(rate(r.tokens, r.one)),
    fmt(rate(r.tokens, r.many)),
    `${(r.one.medianMs / r.many.medianMs).toFixed(2)}x`,
    `${(r.cpuMany / r.cpuOne).toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log('\n' + [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n'));
  const loadAfter = os.loadavg();
  const headroomAfter = await parallelHeadroom(many.threads);
  console.log(
    `(${splitCalls} kernel calls split across threads; afterwards the headroom probe gave ${headroomAfter.toFixed(2)}x ` +
      `and the load average was ${loadAfter.map((x) => x.toFixed(1)).join(' ')})`,
  );
  const count = many.threads;
  const deviceName = many.deviceName;
  many.dispose();
  return {
    threads: {
      count,
      deviceName,
      bitIdentical: true,
      loadAverage: { before: loadBefore, after: loadAfter },
      headroom: { before: headroomBefore, after: headroomAfter },
      splitCalls,
      figures: rows.map((r) => ({
        name: r.name,
        tokensPerCall: r.tokens,
        tokensPerSec: { oneThread: rate(r.tokens, r.one), threads: rate(r.tokens, r.many) },
        speedup: r.one.medianMs / r.many.medianMs,
        timingsMs: { oneThread: r.one, threads: r.many },
        cpuMsPerCall: { oneThread: r.cpuOne, threads: r.cpuMany },
      })),
    },
  };
}
