// The Llama-family decoder as an explicit sequence of kernel calls on a Backend: forward that keeps what
// backward needs, backward that accumulates into one flat gradient buffer, and the fused log-prob head.
// Training batches are B right-padded sequences of length T (N = B*T rows); padding after the real tokens
// never reaches a real row under the causal mask, so no attention mask is needed.
import type { Backend, TensorLike } from './backend.ts';
import { blockBufferSizes, trainingExtraSizes, type BlockBuffers } from './activations.ts';
import {
  allocBlockBuffers,
  blockBackward,
  blockForward,
  denseLinears,
  type BlockContext,
  type BlockScratch,
  type Linears,
  type TensorViews,
} from './block.ts';
import type { ParamLayout } from './params.ts';
import { paramEntry } from './params.ts';
import { denseFrozen, type FrozenProjections, type LoraAdapters } from './lora.ts';

interface Activations<F, I> {
  B: number;
  T: number;
  tokens: I;
  targets: I;
  pos: I;
  layers: BlockBuffers<F>[];
  xFinal: F; // [N,C]
  hn: F; // [N,C]
  rstdF: F; // [N]
  logp: F; // [N]
  lseLm: F; // [N]
  entropy: F; // [N]
  dlogp: F; // [N]
  dhn: F; // [N,C]
  scratch: BlockScratch<F>;
  temperature: number;
}

export type { TensorViews };

export function tensorViews<F extends TensorLike>(backend: Backend<F, TensorLike>, layout: ParamLayout, flat: F): TensorViews<F> {
  const cache = new Map<string, F>();
  return (name: string) => {
    let t = cache.get(name);
    if (!t) {
      const e = paramEntry(layout, name);
      t = backend.view(flat, e.offset, e.size);
      cache.set(name, t);
    }
    return t;
  };
}

/**
 * LoRA mode: the base is frozen (no gradient buffer, no optimiser state for it) and only the adapters train.
 * `frozen` says how the frozen projections run (default: f32 views of `params`; on WebGPU possibly half precision,
 * in which case `params`/`layout` may hold only the tensors that are not block projections).
 */
export interface ModelLora<F extends TensorLike, I extends TensorLike> {
  adapters: LoraAdapters<F, I>;
  frozen?: FrozenProjections<F>;
}

/** What a KL reference needs: log-probs of a frozen model (a separate copy, or a LoRA model with adapters off). */
export interface ReferenceModel<F extends TensorLike, I extends TensorLike> {
  readonly backend: Backend<F, I>;
  forwardLogprobs(tokens: Int32Array, targets: Int32Array, B: number, T: number, temperature?: number): Promise<LogprobResult>;
}

/** What the optimiser updates: the whole flat buffer (full fine-tuning) or the adapters' (LoRA). */
export interface Trainable<F> {
  params: F;
  grads: F;
  layout: { total: number; decayEnd: number };
}

export interface LogprobResult {
  logp: Float32Array; // [B*T]: log p(targets[n] | tokens[..n])
  entropy: Float32Array; // [B*T]
}

export class Model<F extends TensorLike, I extends TensorLike> {
  readonly params: F;
  private readonly W: TensorViews<F>;
  private gradsFlat: F | null = null;
  private dW: TensorViews<F> | null = null;
  private acts: Activations<F, I> | null = null;
  readonly lora: LoraAdapters<F, I> | null;
  private readonly frozen: FrozenProjections<F> | null;
  /** LoRA: where the frozen norms' weight gradients go (computed by the shared kernels, never read). */
  private sinkFlat: F | null = null;

  constructor(
    readonly backend: Backend<F, I>,
    readonly layout: ParamLayout,
    params: F,
    lora?: ModelLora<F, I>,
  ) {
    this.params = params;
    this.W = tensorViews(backend as Backend<F, TensorLike>, layout, params);
    this.lora = lora?.adapters ?? null;
    this.frozen = lora ? (lora.frozen ?? denseFrozen(backend, this.W)) : null;
  }

  get dims() {
    return this.layout.dims;
  }

  /** The gradient buffer of what trains: the flat one (allocated on first use), or the adapters' under LoRA. */
  get grads(): F {
    if (this.lora) return this.lora.grads;
    if (!this.gradsFlat) {
      this.gradsFlat = this.backend.allocFloat(this.layout.total);
      this.dW = tensorViews(this.backend as Backend<F, TensorLike>, this.layout, this.gradsFlat);
    }
    return this.gradsFlat;
  }

  /** What the optimiser updates (AdamW is built over trainable.layout). */
  get trainable(): Trainable<F> {
    if (this.lora) return { params: this.lora.params, grads: this.lora.grads, layout: this.lora.layout };
    return { params: this.params, grads: this.grads, layout: this.layout };
  }

  /**
   * Run `fn` on the frozen base alone (adapters off): the KL reference of a LoRA run, no second copy of the
   * weights. Without LoRA it simply runs `fn`.
   */
  async withAdaptersOff<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.lora) return fn();
    const was = this.lora.enabled;
    this.lora.enabled = false;
    try {
      return await fn();
    } finally {
      this.lora.enabled = was;
    }
  }

  /** The KL reference of a LoRA run: this model with adapters off (its activations are overwritten each call). */
  adaptersOffReference(): ReferenceModel<F, I> {
    if (!this.lora) throw new Error('adaptersOffReference: a model without LoRA needs a separate frozen copy as its reference');
    return {
      backend: this.backend,
      forwardLogprobs: (tokens, targets, B, T, temperature) => this.withAdaptersOff(() => this.forwardLogprobs(tokens, targets, B, T, temperature)),
    };
  }

  zeroGrad(): void {
    this.backend.zero(this.grads);
  }

  /** Weights view by HF name (for tests and export). */
  weight(name: string): F {
    return this.W(name);
  }

  private ensureActs(B: number, T: number, temperature: number): Activations<F, I> {
    const a = this.acts;
    if (a && a.B === B && a.T === T) {
      a.temperature = temperature;
      return a;
    }
    if (a) this.freeActs(a);
    const be = this.backend;
    const d = this.dims;
    const N = B * T;
    const f = (n: number) => be.allocFloat(n);
    const blockSizes = blockBufferSizes(d, N);
    const layers = Array.from({ length: d.L }, () => allocBlockBuffers(blockSizes, f));
    const extra = trainingExtraSizes(d, N);
    const x = extra.floats;
    const orNull = (n: number) => (n > 0 ? f(n) : null);
    const pos = new Int32Array(N);
    for (let n = 0; n < N; n++) pos[n] = n % T;
    const posT = be.allocInt(extra.ints.pos);
    be.uploadInt(posT, pos);
    const acts: Activations<F, I> = {
      B,
      T,
      tokens: be.allocInt(extra.ints.tokens),
      targets: be.allocInt(extra.ints.targets),
      pos: posT,
      layers,
      xFinal: f(x.xFinal),
      hn: f(x.hn),
      rstdF: f(x.rstdF),
      logp: f(x.logp),
      lseLm: f(x.lseLm),
      entropy: f(x.entropy),
      dlogp: f(x.dlogp),
      dhn: f(x.dhn),
      scratch: {
        dx: f(x.dx),
        dxn: f(x.dxn),
        dF1: f(x.dF1),
        dF2: f(x.dF2),
        dF3: f(x.dF3),
        dAtt: f(x.dAtt),
        dq: f(x.dq),
        dk: f(x.dk),
        dv: f(x.dv),
        dqPre: orNull(x.dqPre),
        dkPre: orNull(x.dkPre),
      },
      temperature,
    };
    this.acts = acts;
    return acts;
  }

  private freeActs(a: Activations<F, I>): void {
    const be = this.backend;
    const seen = new Set<F | I>();
    const free = (t: F | I | null) => {
      if (t && !seen.has(t)) {
        seen.add(t);
        be.free(t);
      }
    };
    for (const la of a.layers) for (const t of Object.values(la)) free(t as F | null);
    for (const t of Object.values(a.scratch)) free(t as F | null);
    for (const [key, t] of Object.entries(a)) {
      if (!['layers', 'scratch', 'B', 'T', 'temperature'].includes(key)) free(t as F | I);
    }
  }

  /** The block context of layer l for a training forward/backward over N rows: names, weight views, projections. */
  private block(l: number, withGrads: boolean, N: number): BlockContext<F, I> {
    const n = this.layout.layers[l];
    const be = this.backend;
    const linears =
      this.lora && this.frozen
        ? this.lora.linears(l, n, this.W, this.frozen, { train: true, N })
        : denseLinears(be, n, this.W, withGrads ? this.dW : null);
    return { be, d: this.dims, n, W: this.W, linears };
  }

  /** The projections of layer l for inference over up to N rows (generate.ts): adapters included when enabled. */
  inferenceLinears(l: number, N: number): Linears<F> {
    const n = this.layout.layers[l];
    if (this.lora && this.frozen) return this.lora.linears(l, n, this.W, this.frozen, { train: false, N });
    return denseLinears(this.backend, n, this.W, null);
  }

  /** Gradient views for backward: the flat buffer's, or (LoRA) one small sink every frozen norm writes into. */
  private gradViews(): TensorViews<F> {
    if (!this.lora) {
      void this.grads;
      return this.dW!;
    }
    const d = this.dims;
    const sinkLength = Math.max(d.C, d.D);
    this.sinkFlat ??= this.backend.allocFloat(sinkLength);
    const sink = this.sinkFlat;
    return (name: string) => {
      const e = paramEntry(this.layout, name);
      if (e.size > sinkLength) throw new Error(`LoRA: no gradient for the frozen ${name}`);
      return this.backend.view(sink, 0, e.size);
    };
  }

  /** Release activation memory (e.g. between phases on a memory-tight GPU). */
  releaseActivations(): void {
    if (this.acts) this.freeActs(this.acts);
    this.acts = null;
    this.lora?.releaseKept();
  }

  /**
   * Forward over B right-padded sequences of length T; returns log p(targets) and entropy per position,
   * with logits divided by `temperature` (as GRPO scores the policy that sampled at that temperature).
   * Keeps activations for `backward`.
   */
  async forwardLogprobs(tokens: Int32Array, targets: Int32Array, B: number, T: number, temperature = 1): Promise<LogprobResult> {
    const be = this.backend;
    const d = this.dims;
    const L = this.layout;
    const W = this.W;
    const N = B * T;
    if (tokens.length !== N || targets.length !== N) throw new Error(`forwardLogprobs: expected ${N} tokens and targets`);
    if (T > d.maxT) throw new Error(`sequence length ${T} exceeds max_position_embeddings ${d.maxT}`);
    const a = this.ensureActs(B, T, temperature);
    be.uploadInt(a.tokens, tokens);
    be.uploadInt(a.targets, targets);
    be.embeddingForward(a.layers.length ? a.layers[0].xIn : a.xFinal, a.tokens, W(L.embed), N, d.C);
    const attend = (att: F, lse: F, q: F, k: F, v: F) => be.attentionForward(att, lse, q, k, v, B, T, d.NH, d.KVH, d.D);
    for (let l = 0; l < d.L; l++) {
      const out = l + 1 < d.L ? a.layers[l + 1].xIn : a.xFinal;
      blockForward(this.block(l, false, N), a.layers[l], a.pos, N, attend, out);
    }
    be.rmsnormForward(a.hn, a.rstdF, a.xFinal, W(L.finalNorm), N, d.C, d.eps);
    be.logprobForward(a.logp, a.lseLm, a.entropy, a.hn, W(L.lmHead), a.targets, N, d.C, d.V, temperature);
    const [logp, entropy] = await Promise.all([be.readFloat(a.logp), be.readFloat(a.entropy)]);
    return { logp, entropy };
  }

  /** Back-propagate dL/dlogp[B*T] through the last forwardLogprobs, adding into `grads`. */
  async backward(dlogp: Float32Array): Promise<void> {
    const a = this.acts;
    if (!a) throw new Error('backward called before forwardLogprobs');
    const be = this.backend;
    const d = this.dims;
    const L = this.layout;
    const W = this.W;
    const dW = this.gradViews();
    const { B, T } = a;
    const N = B * T;
    if (dlogp.length !== N) throw new Error(`backward: expected ${N} gradients, got ${dlogp.length}`);
    be.uploadFloat(a.dlogp, dlogp);
    be.zero(a.dhn);
    be.logprobBackward(a.dhn, this.lora ? null : dW(L.lmHead), a.dlogp, a.hn, W(L.lmHead), a.targets, a.lseLm, N, d.C, d.V, a.temperature);
    const s = a.scratch;
    be.zero(s.dx);
    be.rmsnormBackward(s.dx, dW(L.finalNorm), a.dhn, a.xFinal, W(L.finalNorm), a.rstdF, N, d.C);
    for (let l = d.L - 1; l >= 0; l--) blockBackward(this.block(l, true, N), dW, a.layers[l], s, a.pos, B, T);
    if (!this.lora) be.embeddingBackward(dW(L.embed), s.dx, a.tokens, N, d.C);
    await be.sync();
  }
}
