// What every section of the bench shares: the model, its weights, the inputs at a section's shapes, and our CPU
// backend's results on them, on one thread (the reference every contender is checked against before it is timed).
import type { ModelDims } from '../src/engine/config.ts';
import { CpuBackend } from '../src/engine/cpu/backend.ts';
import { createTinyModel, type LoadedModel } from '../src/engine/io/model-folder.ts';
import type { ParamLayout } from '../src/engine/params.ts';
import { oursReference, type OursReference } from './check.ts';
import { BENCH, MODEL } from './config.ts';
import { benchWeights, prompts as makePrompts, trainBatch, type TrainBatch } from './data.ts';
import { oursModel, type DecodeShape } from './ours.ts';

/** Training batch B x T; decode P prompts of Tp tokens, G samples each, newTokens per row. */
export interface BenchShapes {
  B: number;
  T: number;
  P: number;
  G: number;
  Tp: number;
  newTokens: number;
}

export interface BenchModel {
  loaded: LoadedModel;
  layout: ParamLayout;
  d: ModelDims;
  params: Float32Array;
  modelText: string;
}

export interface BenchSetup extends BenchModel {
  shapes: BenchShapes;
  batch: TrainBatch;
  prompts: Int32Array[];
  shape: DecodeShape;
  ref: OursReference;
}

export function benchModel(): BenchModel {
  const loaded = createTinyModel({ config: MODEL, seed: BENCH.seed });
  const layout = loaded.layout;
  const d = layout.dims;
  const params = benchWeights(layout, BENCH.seed, BENCH.weightStd);
  const modelText =
    `llama, hidden ${d.C}, intermediate ${d.F}, ${d.L} layers, ${d.NH} heads, ${d.KVH} kv heads, head_dim ${d.D}, ` +
    `vocab ${d.V} (char tokenizer), tied embeddings, ${layout.count.toLocaleString('en-US')} parameters`;
  return { loaded, layout, d, params, modelText };
}

export async function makeSetup(m: BenchModel, shapes: BenchShapes): Promise<BenchSetup> {
  const { B, T, P, G, Tp, newTokens } = shapes;
  const batch = trainBatch(m.d.V, B, T, BENCH.seed);
  const prompts = makePrompts(m.d.V, P, Tp, BENCH.seed);
  const shape = { G, newTokens };
  const ref = await oursReference(oursModel(new CpuBackend({ threads: 1 }), m.layout, m.params), batch, B, T, prompts, shape);
  return { ...m, shapes, batch, prompts, shape, ref };
}

export function shapesLine(s: BenchShapes, reps: { warmup: number; runs: number }): string {
  return (
    `shapes: train/forward B=${s.B} x T=${s.T} tokens; decode ${s.P} prompts x G=${s.G} = ${s.P * s.G} rows, prompt ${s.Tp}, ` +
    `${s.newTokens} new tokens, greedy, KV cache in both; median of ${reps.runs} runs after ${reps.warmup} warm-up`
  );
}
