// Parameter layout: every weight of the model lives in one flat Float32 buffer; this table gives each
// tensor's Hugging Face name, shape and offset. Offsets are aligned to 64 floats (256 bytes) so a GPU
// backend can bind any tensor as a buffer range. Weights that get weight decay (matrices) come first,
// then norms and biases, so AdamW is one call per region.
import { modelDims, type ModelConfig, type ModelDims } from './config.ts';

export const PARAM_ALIGN = 64;

export interface ParamEntry {
  name: string; // Hugging Face tensor name, e.g. model.layers.0.self_attn.q_proj.weight
  shape: number[]; // [out, in] for linear weights, as stored by transformers
  offset: number; // in floats
  size: number; // in floats
  decay: boolean;
}

export interface LayerParamNames {
  inputNorm: string;
  q: string;
  k: string;
  v: string;
  o: string;
  qBias?: string;
  kBias?: string;
  vBias?: string;
  oBias?: string;
  qNorm?: string;
  kNorm?: string;
  postNorm: string;
  gate: string;
  up: string;
  down: string;
}

export interface ParamLayout {
  dims: ModelDims;
  entries: ParamEntry[];
  byName: Map<string, ParamEntry>;
  total: number; // floats, including alignment padding
  decayEnd: number; // [0, decayEnd) is decayed, [decayEnd, total) is not
  count: number; // real parameter count, without padding
  embed: string;
  finalNorm: string;
  lmHead: string; // equals embed when tied
  layers: LayerParamNames[];
}

const align = (n: number) => Math.ceil(n / PARAM_ALIGN) * PARAM_ALIGN;

export function layerNames(i: number, d: ModelDims): LayerParamNames {
  const p = `model.layers.${i}`;
  return {
    inputNorm: `${p}.input_layernorm.weight`,
    q: `${p}.self_attn.q_proj.weight`,
    k: `${p}.self_attn.k_proj.weight`,
    v: `${p}.self_attn.v_proj.weight`,
    o: `${p}.self_attn.o_proj.weight`,
    ...(d.qkvBias
      ? { qBias: `${p}.self_attn.q_proj.bias`, kBias: `${p}.self_attn.k_proj.bias`, vBias: `${p}.self_attn.v_proj.bias` }
      : {}),
    ...(d.oBias ? { oBias: `${p}.self_attn.o_proj.bias` } : {}),
    ...(d.qkNorm ? { qNorm: `${p}.self_attn.q_norm.weight`, kNorm: `${p}.self_attn.k_norm.weight` } : {}),
    postNorm: `${p}.post_attention_layernorm.weight`,
    gate: `${p}.mlp.gate_proj.weight`,
    up: `${p}.mlp.up_proj.weight`,
    down: `${p}.mlp.down_proj.weight`,
  };
}

export function buildParamLayout(cfg: ModelConfig): ParamLayout {
  const d = modelDims(cfg);
  const shapes: [string, number[]][] = [];
  const embed = 'model.embed_tokens.weight';
  const lmHead = d.tied ? embed : 'lm_head.weight';
  shapes.push([embed, [d.V, d.C]]);
  const layers: LayerParamNames[] = [];
  for (let i = 0; i < d.L; i++) {
    const n = layerNames(i, d);
    layers.push(n);
    shapes.push([n.inputNorm, [d.C]], [n.q, [d.NH * d.D, d.C]], [n.k, [d.KVH * d.D, d.C]], [n.v, [d.KVH * d.D, d.C]]);
    if (n.qBias && n.kBias && n.vBias) shapes.push([n.qBias, [d.NH * d.D]], [n.kBias, [d.KVH * d.D]], [n.vBias, [d.KVH * d.D]]);
    if (n.qNorm && n.kNorm) shapes.push([n.qNorm, [d.D]], [n.kNorm, [d.D]]);
    shapes.push([n.o, [d.C, d.NH * d.D]]);
    if (n.oBias) shapes.push([n.oBias, [d.C]]);
    shapes.push([n.postNorm, [d.C]], [n.gate, [d.F, d.C]], [n.up, [d.F, d.C]], [n.down, [d.C, d.F]]);
  }
  const finalNorm = 'model.norm.weight';
  shapes.push([finalNorm, [d.C]]);
  if (!d.tied) shapes.push([lmHead, [d.V, d.C]]);

  const entries: ParamEntry[] = [];
  let offset = 0;
  let count = 0;
  const place = (decay: boolean) => {
    for (const [name, shape] of shapes) {
      if ((shape.length === 2) !== decay) continue;
      const size = shape.reduce((a, b) => a * b, 1);
      entries.push({ name, shape, offset, size, decay });
      offset += align(size);
      count += size;
    }
  };
  place(true);
  const decayEnd = offset;
  place(false);
  return {
    dims: d,
    entries,
    byName: new Map(entries.map((e) => [e.name, e])),
    total: offset,
    decayEnd,
    count,
    embed,
    finalNorm,
    lmHead,
    layers,
  };
}

export function paramEntry(layout: ParamLayout, name: string): ParamEntry {
  const e = layout.byName.get(name);
  if (!e) throw new Error(`no parameter named ${name}`);
  return e;
}
