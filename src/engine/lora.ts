// LoRA adapters (Hu et al. 2021, arXiv:2106.09685) on the projections of the one decoder block: W x + (alpha/r) B A x,
// the frozen W untouched. All adapter weights live in one flat buffer with an offset table (as params.ts does for
// the model), so AdamW, gradient norm and export are one loop each. A ~ U(-1/sqrt(in), 1/sqrt(in)) (PEFT's
// kaiming-uniform default) and B = 0, so step 0 is exactly the base model. B is stored transposed, Bt[r,out]
// (see cpu/lora.ts); export writes PEFT's lora_B.weight [out, r].
import type { Backend, TensorLike } from './backend.ts';
import type { Linears, LinearKind, TensorViews } from './block.ts';
import type { ModelDims } from './config.ts';
import { packHalves, unpackHalves, type HalfFormat } from './half.ts';
import { PARAM_ALIGN, type LayerParamNames, type ParamEntry, type ParamLayout } from './params.ts';
import { Rng, Stream } from './rng.ts';

export const LORA_TARGETS: readonly LinearKind[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

/** PEFT's module names for each projection (target_modules in adapter_config.json). */
export const PEFT_MODULE: Record<LinearKind, string> = {
  q: 'self_attn.q_proj',
  k: 'self_attn.k_proj',
  v: 'self_attn.v_proj',
  o: 'self_attn.o_proj',
  gate: 'mlp.gate_proj',
  up: 'mlp.up_proj',
  down: 'mlp.down_proj',
};

export interface LoraOptions {
  rank: number; // r
  alpha: number; // scale = alpha / r
  targets: readonly LinearKind[];
}

export interface LoraEntry {
  layer: number;
  kind: LinearKind;
  C: number; // in features
  OC: number; // out features
  aOffset: number; // A[r, C]
  bOffset: number; // Bt[r, OC]
}

export interface LoraLayout {
  options: LoraOptions;
  scale: number;
  entries: LoraEntry[];
  total: number; // floats, with alignment padding
  decayEnd: number; // = total: AdamW's weight decay applies to every adapter weight (as PEFT + TRL do)
  count: number; // real adapter parameters
}

const align = (n: number) => Math.ceil(n / PARAM_ALIGN) * PARAM_ALIGN;

/** [in, out] features of each projection. */
export function projectionShape(d: ModelDims, kind: LinearKind): [number, number] {
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  switch (kind) {
    case 'q':
      return [d.C, QD];
    case 'k':
    case 'v':
      return [d.C, KD];
    case 'o':
      return [QD, d.C];
    case 'gate':
    case 'up':
      return [d.C, d.F];
    case 'down':
      return [d.F, d.C];
  }
}

export function buildLoraLayout(d: ModelDims, options: LoraOptions): LoraLayout {
  const { rank: r, alpha, targets } = options;
  if (!(Number.isInteger(r) && r >= 1)) throw new RangeError(`LoRA rank must be a positive integer, got ${r}`);
  if (!(alpha > 0)) throw new RangeError(`LoRA alpha must be > 0, got ${alpha}`);
  if (targets.length === 0) throw new RangeError('LoRA needs at least one target projection');
  const bad = targets.filter((t) => !LORA_TARGETS.includes(t));
  if (bad.length) throw new RangeError(`unknown LoRA target(s) ${bad.join(', ')} (known: ${LORA_TARGETS.join(', ')})`);
  const entries: LoraEntry[] = [];
  let offset = 0;
  let count = 0;
  for (let layer = 0; layer < d.L; layer++) {
    for (const kind of LORA_TARGETS) {
      if (!targets.includes(kind)) continue;
      const [C, OC] = projectionShape(d, kind);
      const aOffset = offset;
      offset += align(r * C);
      const bOffset = offset;
      offset += align(r * OC);
      count += r * (C + OC);
      entries.push({ layer, kind, C, OC, aOffset, bOffset });
    }
  }
  return { options: { rank: r, alpha, targets: [...targets] }, scale: alpha / r, entries, total: offset, decayEnd: offset, count };
}

/** Initial adapter weights: A ~ U(-1/sqrt(in), 1/sqrt(in)) drawn in layout order from Rng(seed, Stream.init), B = 0. */
export function initLoraParams(layout: LoraLayout, seed: number): Float32Array {
  const out = new Float32Array(layout.total);
  const rng = new Rng(seed ^ 0x10ba, Stream.init);
  const r = layout.options.rank;
  for (const e of layout.entries) {
    const bound = 1 / Math.sqrt(e.C);
    for (let i = 0; i < r * e.C; i++) out[e.aOffset + i] = (2 * rng.uniform() - 1) * bound;
  }
  return out;
}

/** PEFT's tensor name of an adapter matrix, e.g. base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight. */
export function peftTensorName(layer: number, kind: LinearKind, which: 'A' | 'B'): string {
  return `base_model.model.model.layers.${layer}.${PEFT_MODULE[kind]}.lora_${which}.weight`;
}

/**
 * How the frozen projections are applied: f32 views of the flat parameters (`denseFrozen`), or half-precision
 * copies on the GPU (webgpu/half-frozen.ts). Frozen: a forward and an input gradient, never a weight gradient.
 */
export interface FrozenProjections<F> {
  forward(weight: string, out: F, inp: F, bias: F | null, N: number, C: number, OC: number): void;
  /** dinp[N,C] += dout[N,OC] @ W[OC,C]. `inp` is the forward's input (unused by the frozen weight's backward). */
  backwardInput(weight: string, dinp: F, dout: F, inp: F, N: number, C: number, OC: number): void;
}

export function denseFrozen<F extends TensorLike, I extends TensorLike>(be: Backend<F, I>, W: TensorViews<F>): FrozenProjections<F> {
  return {
    forward: (w, out, inp, bias, N, C, OC) => be.matmulForward(out, inp, W(w), bias, N, C, OC),
    backwardInput: (w, dinp, dout, inp, N, C, OC) => be.matmulBackward(dinp, null, null, dout, inp, W(w), N, C, OC),
  };
}

const BIAS_OF: Partial<Record<LinearKind, 'qBias' | 'kBias' | 'vBias' | 'oBias'>> = { q: 'qBias', k: 'kBias', v: 'vBias', o: 'oBias' };

/**
 * The adapters of a model on one backend: flat weights (and gradients, allocated on first use), the u = s A x
 * buffers training keeps per layer and target for backward, and the scratch inference uses. `enabled = false`
 * runs the frozen base alone: the KL reference without a second copy of the weights.
 */
export class LoraAdapters<F extends TensorLike, I extends TensorLike> {
  enabled = true;
  private gradsFlat: F | null = null;
  private readonly byKey = new Map<string, LoraEntry>();
  private kept: { N: number; u: Map<string, F>; du: F } | null = null;
  private inferU: F | null = null;

  constructor(
    readonly backend: Backend<F, I>,
    readonly layout: LoraLayout,
    readonly params: F,
  ) {
    if (params.length !== layout.total) throw new RangeError(`LoRA params: ${params.length} floats, the layout needs ${layout.total}`);
    for (const e of layout.entries) this.byKey.set(`${e.layer}.${e.kind}`, e);
  }

  get rank(): number {
    return this.layout.options.rank;
  }

  get grads(): F {
    this.gradsFlat ??= this.backend.allocFloat(this.layout.total);
    return this.gradsFlat;
  }

  entry(layer: number, kind: LinearKind): LoraEntry | undefined {
    return this.byKey.get(`${layer}.${kind}`);
  }

  private views(flat: F, e: LoraEntry): { A: F; Bt: F } {
    const r = this.rank;
    return { A: this.backend.view(flat, e.aOffset, r * e.C), Bt: this.backend.view(flat, e.bOffset, r * e.OC) };
  }

  /** Buffers for a training forward over N rows: u[N,r] per adapted projection (kept for backward) and du. */
  private keptFor(N: number): { u: Map<string, F>; du: F } {
    if (this.kept && this.kept.N === N) return this.kept;
    this.releaseKept();
    const be = this.backend;
    const u = new Map<string, F>();
    for (const e of this.layout.entries) u.set(`${e.layer}.${e.kind}`, be.allocFloat(N * this.rank));
    this.kept = { N, u, du: be.allocFloat(N * this.rank) };
    return this.kept;
  }

  releaseKept(): void {
    if (!this.kept) return;
    for (const t of this.kept.u.values()) this.backend.free(t);
    this.backend.free(this.kept.du);
    this.kept = null;
  }

  /** Inference scratch u[maxN, r], one for every projection (each is consumed by its own up-projection at once). */
  private inferScratch(N: number): F {
    if (!this.inferU || this.inferU.length < N * this.rank) {
      if (this.inferU) this.backend.free(this.inferU);
      this.inferU = this.backend.allocFloat(N * this.rank);
    }
    return this.backend.view(this.inferU, 0, N * this.rank);
  }

  /**
   * The projections of layer `layer`: the frozen base plus, where adapted and enabled, the adapter. `train` keeps
   * u for backward (for N rows); inference reuses one scratch. Backward adds into the adapter gradients only.
   */
  linears(layer: number, n: LayerParamNames, W: TensorViews<F>, frozen: FrozenProjections<F>, mode: { train: boolean; N: number }): Linears<F> {
    const be = this.backend;
    const r = this.rank;
    const scale = this.layout.scale;
    const kept = mode.train ? this.keptFor(mode.N) : null;
    const bias = (kind: LinearKind) => {
      const key = BIAS_OF[kind];
      const name = key ? n[key] : undefined;
      return name ? W(name) : null;
    };
    const uOf = (kind: LinearKind, N: number) => {
      const u = kept ? kept.u.get(`${layer}.${kind}`)! : this.inferScratch(N);
      return u.length === N * r ? u : be.view(u, 0, N * r);
    };
    return {
      forward: (kind, out, inp, N, C, OC) => {
        frozen.forward(n[kind], out, inp, bias(kind), N, C, OC);
        const e = this.entry(layer, kind);
        if (!e || !this.enabled) return;
        const { A, Bt } = this.views(this.params, e);
        be.loraForward(out, uOf(kind, N), inp, A, Bt, N, C, OC, r, scale);
      },
      backward: (kind, dinp, dout, inp, N, C, OC) => {
        frozen.backwardInput(n[kind], dinp, dout, inp, N, C, OC);
        const e = this.entry(layer, kind);
        if (!e || !this.enabled) return;
        if (!kept) throw new Error('LoRA backward without a training forward');
        const w = this.views(this.params, e);
        const g = this.views(this.grads, e);
        const du = kept.du.length === N * r ? kept.du : be.view(kept.du, 0, N * r);
        be.loraBackward(dinp, g.A, g.Bt, du, dout, inp, uOf(kind, N), w.A, w.Bt, N, C, OC, r, scale);
      },
    };
  }

  dispose(): void {
    this.releaseKept();
    if (this.inferU) this.backend.free(this.inferU);
    if (this.gradsFlat) this.backend.free(this.gradsFlat);
    this.inferU = null;
    this.gradsFlat = null;
  }
}

/** The names of every block projection weight (what a half-precision frozen base holds outside the flat buffer). */
export function projectionWeightNames(layout: ParamLayout): Set<string> {
  return new Set(layout.layers.flatMap((n) => LORA_TARGETS.map((k) => n[k])));
}

/**
 * The layout of everything but the block projections (embedding, norms, biases, LM head), re-packed in the same
 * order: the flat f32 buffer of a LoRA run whose frozen projections live elsewhere (half precision on the GPU).
 * Layer names are kept; the projections' names are simply absent from `byName`.
 */
export function frozenRestLayout(layout: ParamLayout): ParamLayout {
  const skip = projectionWeightNames(layout);
  const entries: ParamEntry[] = [];
  let offset = 0;
  let decayEnd = 0;
  let count = 0;
  for (const e of layout.entries) {
    if (skip.has(e.name)) continue;
    entries.push({ ...e, offset });
    offset += align(e.size);
    count += e.size;
    if (e.decay) decayEnd = offset;
  }
  return { ...layout, entries, byName: new Map(entries.map((e) => [e.name, e])), total: offset, decayEnd, count };
}

/** Copy the tensors of `rest` (a frozenRestLayout of `layout`) out of a full flat buffer. */
export function restParams(layout: ParamLayout, rest: ParamLayout, params: Float32Array): Float32Array {
  const out = new Float32Array(rest.total);
  for (const e of rest.entries) {
    const src = layout.byName.get(e.name)!;
    out.set(params.subarray(src.offset, src.offset + src.size), e.offset);
  }
  return out;
}

/** The full weights as a half-precision base holds them (projections rounded to `format`): what the run trains against. */
export function heldBaseWeights(layout: ParamLayout, params: Float32Array, format: HalfFormat): Float32Array {
  const out = params.slice();
  for (const name of projectionWeightNames(layout)) {
    const e = layout.byName.get(name)!;
    const w = out.subarray(e.offset, e.offset + e.size);
    w.set(unpackHalves(packHalves(w, format, name), e.size, format));
  }
  return out;
}

/**
 * The bytes of each buffer a frozen base occupies: the flat f32 buffer, or (half precision) the compact f32 rest and
 * each projection packed two halves per u32 word, as webgpu/half-frozen.ts allocates them.
 */
export function frozenBaseBuffers(layout: ParamLayout, dtype: 'f32' | HalfFormat): number[] {
  if (dtype === 'f32') return [4 * layout.total];
  return [4 * frozenRestLayout(layout).total, ...[...projectionWeightNames(layout)].map((name) => 4 * Math.ceil(layout.byName.get(name)!.size / 2))];
}
