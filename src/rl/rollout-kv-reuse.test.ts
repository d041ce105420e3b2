// Multi-turn rollouts that keep each row's KV cache across turns (the default) against re-prefilling every
// conversation each turn (`reuseKvCache: false`), with the same seeds: the same tokens, turns, truncation and
// environment state, and the same logits at every sampling step up to float rounding (the context reaches the
// cache through chunked decode steps instead of a prefill). Runs the calculator and guess-number presets on the
// bundled models they name, the same on helper threads, and a conversation that outgrows the cache and then the
// context, on the CPU backend; and the calculator and the outgrowing case on WebGPU (Dawn; SwiftShader here).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend, TensorLike } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel, loadModelFolder, type LoadedModel } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { Model } from '../engine/model.ts';
import { testBackend } from '../engine/webgpu/testing.ts';
import type { Environment, MultiTurnTask } from './envs/types.ts';
import { getPreset } from './presets.ts';
import { sampleRollouts, type Rollout, type SamplingSettings } from './rollout.ts';
import { createTask } from './tasks/index.ts';
import type { Task } from './tasks/types.ts';

/**
 * Logits are within float rounding of each other, not equal: the decode path accumulates attention in another
 * order than the prefill. Their scale here is ~10, so f32 rounding through two layers is ~1e-5; 1e-4 leaves room
 * and still catches a wrong position or a missing token (those move logits by 0.1 or more).
 */
const LOGIT_TOL = 1e-4;

interface Run {
  rollouts: Rollout[];
  /** `turn:step` -> logits [rows, V] in rollout order (rollouts that had finished are absent). */
  logits: Map<string, Map<number, Float32Array>>;
  /** Prefill forwards (attentionForward calls / layers). */
  prefills: number;
}

/** The backend with attentionForward counted: one call per layer per prefill (decode steps use decodeAttention). */
function counting<F extends TensorLike, I extends TensorLike>(be: Backend<F, I>): { backend: Backend<F, I>; calls: () => number } {
  let n = 0;
  const backend = new Proxy(be, {
    get(target, key, receiver) {
      const v = Reflect.get(target, key, receiver);
      if (key === 'attentionForward') return (...args: unknown[]) => (n++, (v as (...a: unknown[]) => void).apply(target, args));
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { backend, calls: () => n };
}

async function rollOut<F extends TensorLike, I extends TensorLike>(
  be: Backend<F, I>,
  loaded: LoadedModel,
  task: Task,
  P: number,
  G: number,
  sampling: SamplingSettings,
  seed: number,
  reuseKvCache: boolean,
): Promise<Run> {
  const { backend, calls } = counting(be);
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  const model = new Model(backend, loaded.layout, params);
  const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
  const rows = Array.from({ length: P }, (_, i) => task.trainRow(seed, i));
  const V = loaded.layout.dims.V;
  const logits = new Map<string, Map<number, Float32Array>>();
  const rollouts = await sampleRollouts(model, codec, task, rows, G, sampling, seed, {
    reuseKvCache,
    onLogits: (turn, t, runs, l) => logits.set(`${turn}:${t}`, new Map(runs.map((r, i) => [r, l.slice(i * V, i * V + V)]))),
  });
  backend.free(params);
  return { rollouts, logits, prefills: calls() / loaded.layout.dims.L };
}

function sampledLogp(logits: Float32Array, token: number): number {
  let max = -Infinity;
  for (const x of logits) max = Math.max(max, x);
  let sum = 0;
  for (const x of logits) sum += Math.exp(x - max);
  return logits[token] - max - Math.log(sum);
}

/** Everything observable agrees; returns the largest logit and sampled-token log-prob differences. */
function compareRuns(reuse: Run, prefill: Run): { logits: number; logp: number; turns: number } {
  expect(reuse.rollouts.length).toBe(prefill.rollouts.length);
  reuse.rollouts.forEach((a, r) => {
    const b = prefill.rollouts[r];
    const where = `rollout ${r}`;
    expect(a.segments.map((s) => [s.generated, Array.from(s.ids)]), where).toEqual(b.segments.map((s) => [s.generated, Array.from(s.ids)]));
    expect([a.turns, a.truncated, a.toolCalls, a.toolFailures, a.text], where).toEqual([b.turns, b.truncated, b.toolCalls, b.toolFailures, b.text]);
    expect(a.state, where).toEqual(b.state);
  });
  expect([...reuse.logits.keys()]).toEqual([...prefill.logits.keys()]);
  let logits = 0;
  let logp = 0;
  for (const [key, rowsA] of reuse.logits) {
    const rowsB = prefill.logits.get(key)!;
    expect([...rowsA.keys()], key).toEqual([...rowsB.keys()]);
    const [turn, t] = key.split(':').map(Number);
    for (const [r, la] of rowsA) {
      const lb = rowsB.get(r)!;
      for (let v = 0; v < la.length; v++) logits = Math.max(logits, Math.abs(la[v] - lb[v]));
      const turnIds = reuse.rollouts[r].segments.filter((s) => s.generated)[turn - 1]?.ids;
      if (turnIds && t < turnIds.length) logp = Math.max(logp, Math.abs(sampledLogp(la, turnIds[t]) - sampledLogp(lb, turnIds[t])));
    }
  }
  const turns = Math.max(...reuse.rollouts.map((r) => r.turns));
  return { logits, logp, turns };
}

const modelsDir = join(import.meta.dirname, '..', '..', 'public', 'models');

async function presetCase(name: 'calculator' | 'guess-number') {
  const config = getPreset(name);
  const loaded = await loadModelFolder(nodeDirSource(join(modelsDir, config.model.id)));
  return { config, loaded, task: createTask(config.task.name, config.task.params) };
}

describe('multi-turn rollouts: KV cache kept across turns vs re-prefilled each turn', () => {
  it.each(['calculator', 'guess-number'] as const)('%s preset (CPU): same tokens, turns and state; logits within rounding', async (name) => {
    const { config, loaded, task } = await presetCase(name);
    const G = config.grpo.groupSize;
    const P = config.grpo.promptsPerStep;
    for (const seed of [1, 2]) {
      const be = new CpuBackend({ threads: 1 });
      const reuse = await rollOut(be, loaded, task, P, G, config.sampling, seed, true);
      const prefill = await rollOut(be, loaded, task, P, G, config.sampling, seed, false);
      const d = compareRuns(reuse, prefill);
      console.log(`${name} seed ${seed}: up to ${d.turns} turns; max |logit diff| ${d.logits.toExponential(2)}, max |log p diff| ${d.logp.toExponential(2)}`);
      expect(d.turns, 'the preset must actually take several turns').toBeGreaterThan(1);
      expect(d.logits).toBeLessThan(LOGIT_TOL);
      expect(d.logp).toBeLessThan(LOGIT_TOL);
      // Reuse prefills once (turn 1); re-prefilling adds one per later turn.
      expect(reuse.prefills).toBe(1);
      expect(prefill.prefills).toBe(d.turns);
    }
  }, 120_000);

  it('guess-number on helper threads (the trainer default): the same as one thread', async () => {
    const { config, loaded, task } = await presetCase('guess-number');
    const threaded = await CpuBackend.create({ threads: 2 });
    try {
      const P = config.grpo.promptsPerStep;
      const G = config.grpo.groupSize;
      const one = await rollOut(new CpuBackend({ threads: 1 }), loaded, task, P, G, config.sampling, 3, true);
      const many = await rollOut(threaded, loaded, task, P, G, config.sampling, 3, true);
      const d = compareRuns(many, one);
      expect(d.logits, threaded.deviceName).toBe(0); // threads split kernels without changing any sum's order
    } finally {
      threaded.dispose();
    }
  }, 120_000);

  it('a conversation that outgrows the cache is prefilled again; one that outgrows the context ends truncated', () =>
    outgrowingCase(new CpuBackend({ threads: 1 })), 60_000);
});

/**
 * Replies far longer than the prompt overflow the reserved capacity (maxTurns x (prompt + new tokens)) on turn 2;
 * with a 160-position model the third reply no longer fits at all. Heads of 12 dims (q width 48) make the extend
 * pad its chunks (GPU views start at multiples of 64 elements), and rows of 1 and 2 prompt tokens differ in length.
 */
async function outgrowingCase<F extends TensorLike, I extends TensorLike>(be: Backend<F, I>): Promise<void> {
  const environment: Environment<null> = {
    maxTurns: 4,
    initialMessages: (row) => [{ role: 'user', content: row.prompt }],
    initialState: () => null,
    respond: ({ turn }) => ({ state: null, done: false, messages: [{ role: 'user', content: `${turn} `.repeat(20) }] }),
  };
  const task: MultiTurnTask = {
    name: 'long-replies',
    description: '',
    systemPrompt: '',
    correctnessCriterion: 'solved',
    trainRow: (_s, i) => ({ prompt: 'ab'.slice(0, 1 + (i % 2)), answer: '' }),
    evalRows: () => [],
    environment,
  };
  const config = { max_position_embeddings: 160, hidden_size: 48, intermediate_size: 96, num_attention_heads: 4, num_key_value_heads: 2 };
  const loaded = createTinyModel({ seed: 4, config });
  const sampling: SamplingSettings = { temperature: 1, topK: 0, topP: 1, maxNewTokens: 6, stop: [] };
  const reuse = await rollOut(be, loaded, task, 2, 3, sampling, 5, true);
  const prefill = await rollOut(be, loaded, task, 2, 3, sampling, 5, false);
  const d = compareRuns(reuse, prefill);
  expect(d.logits).toBeLessThan(LOGIT_TOL);
  expect(reuse.rollouts.every((r) => r.truncated && r.turns < environment.maxTurns)).toBe(true);
  expect(reuse.prefills, 'turn 1, then again when the cache was outgrown').toBeGreaterThan(1);
  expect(reuse.prefills).toBeLessThan(prefill.prefills);
}

describe('multi-turn rollouts on WebGPU: KV cache kept vs re-prefilled', async () => {
  const gpu = await testBackend();
  it.skipIf(!gpu)('calculator preset: same tokens and state; logits within rounding', async () => {
    const { config, loaded, task } = await presetCase('calculator');
    // SwiftShader is slow: 2 prompts x 4 samples.
    const reuse = await rollOut(gpu!, loaded, task, 2, 4, config.sampling, 1, true);
    const prefill = await rollOut(gpu!, loaded, task, 2, 4, config.sampling, 1, false);
    const d = compareRuns(reuse, prefill);
    console.log(`WebGPU calculator: up to ${d.turns} turns; max |logit diff| ${d.logits.toExponential(2)}, max |log p diff| ${d.logp.toExponential(2)}`);
    expect(d.turns).toBeGreaterThan(1);
    expect(d.logits).toBeLessThan(LOGIT_TOL);
    expect(reuse.prefills).toBe(1);
  }, 300_000);

  it.skipIf(!gpu)('a conversation outgrowing the cache, then the context; padded chunks', () => outgrowingCase(gpu!), 120_000);
});
