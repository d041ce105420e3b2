// Model configuration: one type mirroring Hugging Face `config.json` field names for the Llama family
// (Llama, Qwen2/2.5, Qwen3, SmolLM2). Dimension letters used across the engine:
//   B batch (sequences), T time, N = B*T rows, C hidden_size, V vocab_size, NH attention heads,
//   KVH key/value heads, D head_dim, F intermediate_size (MLP), G group size, L layers.

export interface ModelConfig {
  architectures?: string[];
  model_type: string; // 'llama' | 'qwen2' | 'qwen3' (only affects defaults below)
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim?: number; // Qwen3 sets it explicitly; otherwise hidden_size / num_attention_heads
  max_position_embeddings: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
  attention_bias?: boolean; // Llama's name for q/k/v/o bias
  qkv_bias?: boolean; // not an HF field: derived for Qwen2 (q/k/v bias, no o bias)
  use_qk_norm?: boolean; // not an HF field: derived for Qwen3 (per-head RMSNorm on q and k)
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

const REQUIRED_NUMBERS = [
  'vocab_size',
  'hidden_size',
  'intermediate_size',
  'num_hidden_layers',
  'num_attention_heads',
] as const;

/** Validate a parsed config.json and fill the defaults transformers would use. Throws ConfigError naming the problem. */
export function parseModelConfig(raw: unknown): ModelConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('config.json must be a JSON object');
  }
  const r = raw as Record<string, unknown>;
  const missing = REQUIRED_NUMBERS.filter((k) => typeof r[k] !== 'number');
  if (missing.length) throw new ConfigError(`config.json is missing numeric field(s): ${missing.join(', ')}`);
  for (const k of REQUIRED_NUMBERS) {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v <= 0) throw new ConfigError(`config.json field ${k} must be a positive integer, got ${v}`);
  }
  const modelType = typeof r.model_type === 'string' ? r.model_type : 'llama';
  const supported = ['llama', 'qwen2', 'qwen3', 'mistral'];
  if (!supported.includes(modelType)) {
    throw new ConfigError(`unsupported model_type "${modelType}" (supported: ${supported.join(', ')})`);
  }
  const cfg: ModelConfig = {
    ...(r as object),
    model_type: modelType,
    vocab_size: r.vocab_size as number,
    hidden_size: r.hidden_size as number,
    intermediate_size: r.intermediate_size as number,
    num_hidden_layers: r.num_hidden_layers as number,
    num_attention_heads: r.num_attention_heads as number,
    num_key_value_heads: typeof r.num_key_value_heads === 'number' ? r.num_key_value_heads : (r.num_attention_heads as number),
    max_position_embeddings: typeof r.max_position_embeddings === 'number' ? r.max_position_embeddings : 2048,
    rms_norm_eps: typeof r.rms_norm_eps === 'number' ? r.rms_norm_eps : 1e-6,
    rope_theta: typeof r.rope_theta === 'number' ? r.rope_theta : 10000,
    // transformers' LlamaConfig, Qwen2Config and Qwen3Config all default to untied embeddings.
    tie_word_embeddings: typeof r.tie_word_embeddings === 'boolean' ? r.tie_word_embeddings : false,
  };
  if (r.rope_scaling !== undefined && r.rope_scaling !== null) {
    // e.g. Llama 3.x "llama3" or YaRN scaling: loading it as plain RoPE would silently give wrong logits.
    throw new ConfigError(`config.json sets rope_scaling (${JSON.stringify(r.rope_scaling)}), which this engine does not implement`);
  }
  if (cfg.num_attention_heads % cfg.num_key_value_heads !== 0) {
    throw new ConfigError(
      `num_attention_heads (${cfg.num_attention_heads}) must be a multiple of num_key_value_heads (${cfg.num_key_value_heads})`,
    );
  }
  const D = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
  if (!Number.isInteger(D) || D % 2 !== 0) throw new ConfigError(`head_dim must be an even integer, got ${D}`);
  return cfg;
}

export function modelDims(cfg: ModelConfig): ModelDims {
  const D = cfg.head_dim ?? cfg.hidden_size / cfg.num_attention_heads;
  return {
    V: cfg.vocab_size,
    C: cfg.hidden_size,
    F: cfg.intermediate_size,
    L: cfg.num_hidden_layers,
    NH: cfg.num_attention_heads,
    KVH: cfg.num_key_value_heads,
    D,
    maxT: cfg.max_position_embeddings,
    eps: cfg.rms_norm_eps,
    ropeTheta: cfg.rope_theta,
    tied: cfg.tie_word_embeddings,
    qkvBias: cfg.qkv_bias ?? (cfg.model_type === 'qwen2' || cfg.attention_bias === true),
    oBias: cfg.attention_bias === true,
    qkNorm: cfg.use_qk_norm ?? cfg.model_type === 'qwen3',
  };
}
