// Our engine's side of each figure: a GRPO-shaped training step (forwardLogprobs, backward of the
// per-token weights, AdamW with gradient clipping) and greedy batched decoding through generate(). Generic over
// the backend, so the same code times the CPU backend and the WebGPU one.
import type { Backend, TensorLike } from '../src/engine/backend.ts';
import { generate } from '../src/engine/generate.ts';
import { Model } from '../src/engine/model.ts';
import { AdamW, type AdamWOptions } from '../src/engine/optimizer.ts';
import type { ParamLayout } from '../src/engine/params.ts';
import type { TrainBatch } from './data.ts';

export type CpuModel = Model<Float32Array, Int32Array>;

export function oursModel<F extends TensorLike, I extends TensorLike>(backend: Backend<F, I>, layout: ParamLayout, params: Float32Array): Model<F, I> {
  const p = backend.allocFloat(layout.total);
  backend.uploadFloat(p, params);
  return new Model(backend, layout, p);
}

export class OursTrainer<F extends TensorLike, I extends TensorLike> {
  private readonly opt: AdamW<F, I>;
  private readonly dlogp: Float32Array;

  constructor(
    readonly model: Model<F, I>,
    private readonly batch: TrainBatch,
    private readonly B: number,
    private readonly T: number,
    private readonly adam: AdamWOptions,
  ) {
    this.opt = new AdamW(model.backend, model.layout);
    // loss = -sum(weights * logp), so dL/dlogp = -weights (TF.js minimises the same expression).
    this.dlogp = batch.weights.map((w) => -w);
  }

  async step(): Promise<void> {
    const m = this.model;
    m.zeroGrad();
    await m.forwardLogprobs(this.batch.tokens, this.batch.targets, this.B, this.T, 1);
    await m.backward(this.dlogp);
    await this.opt.step(m.params, m.grads, this.adam);
    // The AdamW update is queued on a GPU: the step is over when it has run (a no-op on the CPU).
    await m.backend.sync();
  }

  dispose(): void {
    this.opt.dispose();
  }
}

export interface DecodeShape {
  G: number;
  newTokens: number;
}

/** Greedy decode with no stop tokens, so every row produces exactly newTokens tokens. */
export async function oursDecode<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  prompts: Int32Array[],
  s: DecodeShape,
  onLogits?: (t: number, logits: Float32Array) => void,
): Promise<Int32Array[]> {
  const res = await generate(model, prompts, s.G, {
    temperature: 0,
    topK: 0,
    topP: 1,
    maxNewTokens: s.newTokens,
    stopTokenIds: [],
    seed: 0,
    onLogits,
  });
  return res.completions;
}
