// AdamW over the flat parameter buffer with global gradient-norm clipping. Two regions, as params.ts lays
// them out: matrices (with weight decay) and norms/biases (without), so the update is two kernel calls.
import type { Backend, TensorLike } from './backend.ts';
import type { ParamLayout } from './params.ts';

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maxGradNorm: number; // 0 = no clipping
}

export interface AdamWState {
  t: number;
  m: Float32Array;
  v: Float32Array;
}

export class AdamW<F extends TensorLike, I extends TensorLike> {
  private readonly m: F;
  private readonly v: F;
  private t = 0;

  constructor(
    private readonly backend: Backend<F, I>,
    private readonly layout: Pick<ParamLayout, 'total' | 'decayEnd'>, // a model's, or LoRA adapters' (model.trainable.layout)
  ) {
    this.m = backend.allocFloat(layout.total);
    this.v = backend.allocFloat(layout.total);
  }

  get stepCount(): number {
    return this.t;
  }

  /** The moments and step count, copied to the host (for a checkpoint). */
  async state(): Promise<AdamWState> {
    const [m, v] = await Promise.all([this.backend.readFloat(this.m), this.backend.readFloat(this.v)]);
    return { t: this.t, m, v };
  }

  /** Continue exactly where `state` left off. */
  load(state: AdamWState): void {
    if (state.m.length !== this.layout.total || state.v.length !== this.layout.total) {
      throw new Error(`AdamW state has ${state.m.length} moments, this optimiser needs ${this.layout.total}`);
    }
    this.backend.uploadFloat(this.m, state.m);
    this.backend.uploadFloat(this.v, state.v);
    this.t = state.t;
  }

  /** Clip gradients to maxGradNorm, update params in place; returns the pre-clip gradient norm. */
  async step(params: F, grads: F, o: AdamWOptions): Promise<{ gradNorm: number }> {
    const be = this.backend;
    const gradNorm = Math.sqrt(await be.sumSquares(grads));
    if (!Number.isFinite(gradNorm)) throw new Error(`gradient norm is ${gradNorm}: the update was skipped (try a lower learning rate)`);
    if (o.maxGradNorm > 0 && gradNorm > o.maxGradNorm) be.scale(grads, o.maxGradNorm / (gradNorm + 1e-6));
    this.t += 1;
    const { decayEnd, total } = this.layout;
    const region = (t: F, a: number, b: number) => be.view(t, a, b - a);
    if (decayEnd > 0) {
      be.adamw(region(params, 0, decayEnd), region(grads, 0, decayEnd), region(this.m, 0, decayEnd), region(this.v, 0, decayEnd),
        o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, this.t);
    }
    if (total > decayEnd) {
      be.adamw(region(params, decayEnd, total), region(grads, decayEnd, total), region(this.m, decayEnd, total), region(this.v, decayEnd, total),
        o.lr, o.beta1, o.beta2, o.eps, 0, this.t);
    }
    return { gradNorm };
  }

  dispose(): void {
    this.backend.free(this.m);
    this.backend.free(this.v);
  }
}
