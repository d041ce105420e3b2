// Model configuration: one type mirroring Hugging Face `config.json` field names for the Llama family
// (Llama, Qwen2/2.5, Qwen3, SmolLM2, Mistral). Dimension letters used across the engine:
//   B batch (sequences), T time, N = B*T rows, C hidden_size, V vocab_size, NH attention heads,
//   KVH key/value heads, D head_dim, F intermediate_size (MLP), G group size, L layers.
// parseModelConfig is honest: a field that would change the maths in a way this engine does not implement
// refuses the folder with one line naming it (never load and compute something else), and it fills the
// defaults transformers' config classes use. The README's "Which configs load" table lists every field.

export interface ModelConfig {
  architectures?: string[];
  model_type: string; // 'llama' | 'qwen2' | 'qwen3' | 'mistral' (affects defaults below)
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim?: number; // Qwen3 defaults it to 128; the others to hidden_size / num_attention_heads
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
  attention_bias?: boolean; // Llama/Mistral/Qwen3: q/k/v/o bias; Qwen2 ignores it (always q/k/v bias, no o bias)
  qkv_bias?: boolean; // not an HF field: derived for Qwen2 (q/k/v bias, no o bias)
  use_qk_norm?: boolean; // not an HF field: derived for Qwen3 (per-head RMSNorm on q and k)
  sliding_window?: number | null; // applies only as slidingWindow() says; caps the context (modelDims.maxT)
  bos_token_id?: number | null;
  eos_token_id?: number | number[] | null;
  pad_token_id?: number | null;
  torch_dtype?: string;
}

/** The resolved numbers every kernel needs, derived once from a config. */
export interface ModelDims {
  V: number;
  C: number;
  F: number;
  L: number;
  NH: number;
  KVH: number;
  D: number;
  maxT: number;
  eps: number;
  ropeTheta: number;
  tied: boolean;
  qkvBias: boolean;
  oBias: boolean;
  qkNorm: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const SUPPORTED_MODEL_TYPES = ['llama', 'qwen2', 'qwen3', 'mistral'] as const;

/** Bounds that keep a hostile or mistaken config from allocating the machine away (each named in its error). */
const LIMITS = {
  vocab_size: 1 << 20,
  hidden_size: 1 << 16,
  intermediate_size: 1 << 18,
  num_hidden_layers: 1024,
  num_attention_heads: 1024,
  max_position_embeddings: 1 << 22,
  /** Floats of all weights: one Float32Array (and one GPU buffer) must hold them. */
  parameters: 2 ** 31,
};

const REQUIRED_INTS = ['vocab_size', 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads'] as const;

type Raw = Record<string, unknown>;

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

function intField(r: Raw, key: string, max: number, fallback?: number): number {
  const v = r[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(`config.json is missing the integer field ${key}`);
  }
  if (typeof v !== 'number') throw new ConfigError(`config.json field ${key} must be a number, got ${typeof v} ${show(v)}`);
  if (!Number.isInteger(v) || v <= 0) throw new ConfigError(`config.json field ${key} must be a positive integer, got ${v}`);
  if (v > max) throw new ConfigError(`config.json field ${key} is ${v}, above this engine's limit of ${max}`);
  return v;
}

function positiveNumber(r: Raw, key: string, fallback: number, max = Infinity): number {
  const v = r[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number') throw new ConfigError(`config.json field ${key} must be a number, got ${typeof v} ${show(v)}`);
  if (!Number.isFinite(v) || v <= 0 || v >= max) {
    throw new ConfigError(`config.json field ${key} must be a positive number${max < Infinity ? ` below ${max}` : ''}, got ${v}`);
  }
  return v;
}

function boolField(r: Raw, key: string, fallback: boolean): boolean {
  const v = r[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`config.json field ${key} must be true or false, got ${show(v)}`);
  return v;
}

function tokenIds(r: Raw, key: string): number | number[] | null | undefined {
  const v = r[key];
  if (v === undefined || v === null) return v as null | undefined;
  const ok = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (ok(v) || (Array.isArray(v) && v.every(ok))) return v as number | number[];
  throw new ConfigError(`config.json field ${key} must be a token id or a list of token ids, got ${show(v)}`);
}

/** Fields whose value changes the maths: each accepted value is one this engine computes exactly. */
function refuseUnsupported(r: Raw): void {
  const act = r.hidden_act ?? r.hidden_activation;
  if (act !== undefined && act !== 'silu' && act !== 'swish') {
    throw new ConfigError(`hidden_act ${show(act)} is not supported (only silu)`);
  }
  if (r.rope_interleaved === true) throw new ConfigError('rope_interleaved: true is not supported (RoPE rotates the two halves of each head)');
  if (r.mlp_bias === true) throw new ConfigError('mlp_bias: true is not supported (the MLP projections have no bias here)');
  for (const key of ['attention_dropout', 'hidden_dropout', 'resid_pdrop', 'embd_pdrop']) {
    const v = r[key];
    if (v !== undefined && v !== null && v !== 0) throw new ConfigError(`${key}: ${show(v)} is not supported (only 0: no dropout)`);
  }
  const partial = r.partial_rotary_factor;
  if (partial !== undefined && partial !== null && partial !== 1) {
    throw new ConfigError(`partial_rotary_factor ${show(partial)} is not supported (only 1: RoPE on the whole head)`);
  }
  for (const key of ['rope_scaling', 'rope_parameters']) {
    const s = r[key];
    if (s === undefined || s === null) continue;
    const type = typeof s === 'object' ? ((s as Raw).rope_type ?? (s as Raw).type) : s;
    if (type !== 'default') throw new ConfigError(`${key} type ${show(type ?? s)} is not supported (only the default, unscaled RoPE)`);
  }
  boolField(r, 'use_sliding_window', false);
}

/**
 * The sliding-attention window, if any layer uses one: Mistral's sliding_window, Qwen2/3's when
 * use_sliding_window is true, or a "sliding_attention" entry in layer_types. Within the window, sliding
 * attention equals full attention, so the engine caps the context at the window instead of refusing.
 */
function slidingWindow(r: Raw): number | null {
  const modelType = r.model_type ?? 'llama';
  const layerTypes = Array.isArray(r.layer_types) ? (r.layer_types as unknown[]) : [];
  const unknownLayer = layerTypes.find((t) => t !== 'full_attention' && t !== 'sliding_attention');
  if (unknownLayer !== undefined) throw new ConfigError(`layer_types entry ${show(unknownLayer)} is not supported (only full_attention)`);
  const uses =
    layerTypes.includes('sliding_attention') ||
    (modelType === 'mistral' && r.sliding_window !== undefined && r.sliding_window !== null) ||
    ((modelType === 'qwen2' || modelType === 'qwen3') && r.use_sliding_window === true);
  if (!uses) return null;
  return intField(r, 'sliding_window', LIMITS.max_position_embeddings);
}

/** Validate a parsed config.json and fill the defaults transformers would use. Throws ConfigError naming the problem. */
export function parseModelConfig(raw: unknown): ModelConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config.json must be a JSON object');
  }
  const r = raw as Raw;
  const modelType = r.model_type === undefined ? 'llama' : r.model_type;
  if (typeof modelType !== 'string' || !(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new ConfigError(`unsupported model_type ${show(modelType)} (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
  }
  const missing = REQUIRED_INTS.filter((k) => r[k] === undefined || r[k] === null);
  if (missing.length) throw new ConfigError(`config.json is missing numeric field(s): ${missing.join(', ')}`);
  for (const k of REQUIRED_INTS) intField(r, k, LIMITS[k]);
  refuseUnsupported(r);
  const heads = r.num_attention_heads as number;
  const C = r.hidden_size as number;
  // Qwen3Config's head_dim default is 128, not hidden_size / heads; the others derive it (Mistral may write null).
  const derivedHeadDim = modelType === 'qwen3' ? 128 : C / heads;
  const headDim = r.head_dim === undefined || r.head_dim === null ? derivedHeadDim : intField(r, 'head_dim', 1 << 12);
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new ConfigError(`head_dim must be an even integer, got ${headDim}`);
  slidingWindow(r); // validated here; modelDims applies it
  const maxPositions = intField(r, 'max_position_embeddings', LIMITS.max_position_embeddings, 2048);
  const ropeParams = typeof r.rope_parameters === 'object' && r.rope_parameters !== null ? (r.rope_parameters as Raw) : {};
  const cfg: ModelConfig = {
    ...(r as object),
    model_type: modelType,
    vocab_size: r.vocab_size as number,
    hidden_size: C,
    intermediate_size: r.intermediate_size as number,
    num_hidden_layers: r.num_hidden_layers as number,
    num_attention_heads: heads,
    num_key_value_heads: intField(r, 'num_key_value_heads', LIMITS.num_attention_heads, heads),
    head_dim: headDim,
    max_position_embeddings: maxPositions,
    rms_norm_eps: positiveNumber(r, 'rms_norm_eps', 1e-6, 1),
    // transformers v5 moves rope_theta into rope_parameters.
    rope_theta: positiveNumber(r, 'rope_theta', typeof ropeParams.rope_theta === 'number' ? ropeParams.rope_theta : 10000),
    // transformers' LlamaConfig, Qwen2Config and Qwen3Config all default to untied embeddings.
    tie_word_embeddings: boolField(r, 'tie_word_embeddings', false),
  };
  // Validated here, kept as written (so an exported config.json says what the original said).
  boolField(r, 'attention_bias', false);
  for (const key of ['bos_token_id', 'eos_token_id', 'pad_token_id']) tokenIds(r, key);

  if (cfg.num_attention_heads % cfg.num_key_value_heads !== 0) {
    throw new ConfigError(
      `num_attention_heads (${cfg.num_attention_heads}) must be a multiple of num_key_value_heads (${cfg.num_key_value_heads})`,
    );
  }
  const params = approximateParameters(cfg);
  if (params > LIMITS.parameters) {
    throw new ConfigError(`this config describes about ${(params / 1e9).toFixed(1)} billion parameters, above this engine's limit of ${(LIMITS.parameters / 1e9).toFixed(1)} billion`);
  }
  return cfg;
}

/** Weights of a config (embeddings, blocks, head), before the layout's alignment padding. */
function approximateParameters(c: ModelConfig): number {
  const D = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  const attn = c.hidden_size * D * (2 * c.num_attention_heads + 2 * c.num_key_value_heads);
  const mlp = 3 * c.hidden_size * c.intermediate_size;
  const embed = c.vocab_size * c.hidden_size * (c.tie_word_embeddings ? 1 : 2);
  return embed + c.num_hidden_layers * (attn + mlp);
}

export function modelDims(cfg: ModelConfig): ModelDims {
  const D = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
  const qwen2 = cfg.model_type === 'qwen2';
  return {
    V: cfg.vocab_size,
    C: cfg.hidden_size,
    F: cfg.intermediate_size,
    L: cfg.num_hidden_layers,
    NH: cfg.num_attention_heads,
    KVH: cfg.num_key_value_heads,
    D,
    // Sliding attention equals full attention within the window: contexts stay inside it.
    maxT: Math.min(cfg.max_position_embeddings, slidingWindow(cfg as unknown as Raw) ?? Infinity),
    eps: cfg.rms_norm_eps,
    ropeTheta: cfg.rope_theta,
    tied: cfg.tie_word_embeddings,
    qkvBias: cfg.qkv_bias ?? (qwen2 || cfg.attention_bias === true),
    oBias: !qwen2 && cfg.attention_bias === true,
    qkNorm: cfg.use_qk_norm ?? cfg.model_type === 'qwen3',
  };
}
