// What config.json loads and what it refuses: the published configs of the curated Hub models resolve to the
// dimensions transformers uses, every unsupported maths option is refused with one line naming it, and every
// numeric field is type- and range-checked by name.
import { describe, expect, it } from 'vitest';
import { ConfigError, modelDims, parseModelConfig } from './config.ts';
import { buildParamLayout } from './params.ts';
import { QWEN25_05B_INSTRUCT, QWEN3_06B, SMOLLM2_135M_INSTRUCT } from './testdata/hub-configs.ts';

const BASE = { model_type: 'llama', vocab_size: 100, hidden_size: 16, intermediate_size: 32, num_hidden_layers: 2, num_attention_heads: 4 };
const refusal = (extra: Record<string, unknown>) => {
  try {
    parseModelConfig({ ...BASE, ...extra });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(extra)}`);
};

describe('the curated Hub models load with transformers numbers', () => {
  it('SmolLM2-135M-Instruct: llama, GQA 9/3, head_dim 64, tied, 134.5M parameters', () => {
    const d = modelDims(parseModelConfig(SMOLLM2_135M_INSTRUCT));
    expect(d).toMatchObject({ V: 49152, C: 576, F: 1536, L: 30, NH: 9, KVH: 3, D: 64, maxT: 8192, eps: 1e-5, ropeTheta: 100000 });
    expect(d).toMatchObject({ tied: true, qkvBias: false, oBias: false, qkNorm: false });
    expect(buildParamLayout(parseModelConfig(SMOLLM2_135M_INSTRUCT)).count).toBe(134_515_008);
  });

  it('Qwen2.5-0.5B-Instruct: q/k/v bias, no o bias, sliding window off (full context), 494M parameters', () => {
    const d = modelDims(parseModelConfig(QWEN25_05B_INSTRUCT));
    expect(d).toMatchObject({ V: 151936, C: 896, L: 24, NH: 14, KVH: 2, D: 64, maxT: 32768, ropeTheta: 1e6 });
    expect(d).toMatchObject({ qkvBias: true, oBias: false, qkNorm: false, tied: true });
    expect(buildParamLayout(parseModelConfig(QWEN25_05B_INSTRUCT)).count).toBe(494_032_768);
  });

  it('Qwen3-0.6B: q/k norm, head_dim 128 (not hidden/heads = 64), 596M parameters', () => {
    const d = modelDims(parseModelConfig(QWEN3_06B));
    expect(d).toMatchObject({ C: 1024, NH: 16, KVH: 8, D: 128, maxT: 40960, qkNorm: true, qkvBias: false, oBias: false });
    expect(buildParamLayout(parseModelConfig(QWEN3_06B)).count).toBe(596_049_920);
  });
});

describe('defaults and quirks transformers has', () => {
  it('Qwen3 without head_dim uses 128 (Qwen3Config default); llama derives hidden/heads', () => {
    expect(modelDims(parseModelConfig({ ...BASE, model_type: 'qwen3' })).D).toBe(128);
    expect(modelDims(parseModelConfig(BASE)).D).toBe(4);
    expect(modelDims(parseModelConfig({ ...BASE, model_type: 'mistral', head_dim: null })).D).toBe(4);
  });

  it('Qwen2 ignores attention_bias (always q/k/v bias, never o bias); llama and qwen3 take it as q/k/v/o bias', () => {
    expect(modelDims(parseModelConfig({ ...BASE, model_type: 'qwen2', attention_bias: true }))).toMatchObject({ qkvBias: true, oBias: false });
    expect(modelDims(parseModelConfig({ ...BASE, model_type: 'qwen2', attention_bias: false }))).toMatchObject({ qkvBias: true, oBias: false });
    expect(modelDims(parseModelConfig({ ...BASE, attention_bias: true }))).toMatchObject({ qkvBias: true, oBias: true });
    expect(modelDims(parseModelConfig({ ...BASE, model_type: 'qwen3', head_dim: 4, attention_bias: true }))).toMatchObject({ qkvBias: true, oBias: true });
  });

  it('plain RoPE spelled out is accepted: rope_scaling {rope_type|type: "default"}, rope_parameters with its theta', () => {
    expect(() => parseModelConfig({ ...BASE, rope_scaling: { rope_type: 'default' } })).not.toThrow();
    expect(() => parseModelConfig({ ...BASE, rope_scaling: { type: 'default' } })).not.toThrow();
    expect(modelDims(parseModelConfig({ ...BASE, rope_parameters: { rope_type: 'default', rope_theta: 5e5 } })).ropeTheta).toBe(5e5);
  });

  it('a sliding window caps the context at the window (where it equals full attention)', () => {
    expect(modelDims(parseModelConfig({ ...BASE, model_type: 'mistral', max_position_embeddings: 32768, sliding_window: 4096 })).maxT).toBe(4096);
    expect(modelDims(parseModelConfig({ ...QWEN25_05B_INSTRUCT, use_sliding_window: true, sliding_window: 1024 })).maxT).toBe(1024);
    expect(modelDims(parseModelConfig({ ...BASE, max_position_embeddings: 512, layer_types: ['full_attention', 'sliding_attention'], sliding_window: 128 })).maxT).toBe(128);
    // Llama has no sliding window: the field alone does nothing.
    expect(modelDims(parseModelConfig({ ...BASE, max_position_embeddings: 512, sliding_window: 128 })).maxT).toBe(512);
  });

  it('an exported config keeps the fields as written (nothing added but the resolved head_dim)', () => {
    const cfg = parseModelConfig(QWEN25_05B_INSTRUCT);
    expect(cfg.sliding_window).toBe(32768);
    expect('attention_bias' in cfg).toBe(false);
  });
});

describe('refused, with one line naming the field', () => {
  it.each([
    [{ hidden_act: 'gelu_pytorch_tanh' }, 'hidden_act "gelu_pytorch_tanh" is not supported (only silu)'],
    [{ hidden_activation: 'gelu' }, 'hidden_act "gelu" is not supported (only silu)'],
    [{ mlp_bias: true }, 'mlp_bias: true is not supported (the MLP projections have no bias here)'],
    [{ rope_scaling: { rope_type: 'llama3', factor: 8 } }, 'rope_scaling type "llama3" is not supported (only the default, unscaled RoPE)'],
    [{ rope_scaling: { type: 'yarn', factor: 4 } }, 'rope_scaling type "yarn" is not supported (only the default, unscaled RoPE)'],
    [{ rope_parameters: { rope_type: 'dynamic' } }, 'rope_parameters type "dynamic" is not supported (only the default, unscaled RoPE)'],
    [{ rope_interleaved: true }, 'rope_interleaved: true is not supported (RoPE rotates the two halves of each head)'],
    [{ partial_rotary_factor: 0.5 }, 'partial_rotary_factor 0.5 is not supported (only 1: RoPE on the whole head)'],
    [{ attention_dropout: 0.1 }, 'attention_dropout: 0.1 is not supported (only 0: no dropout)'],
    [{ layer_types: ['full_attention', 'linear_attention'] }, 'layer_types entry "linear_attention" is not supported (only full_attention)'],
    [{ model_type: 'gemma' }, 'unsupported model_type "gemma" (supported: llama, qwen2, qwen3, mistral)'],
  ])('%j', (extra, message) => {
    expect(refusal(extra)).toBe(message);
  });

  it.each([
    [{ hidden_size: '256' }, 'config.json field hidden_size must be a number, got string "256"'],
    [{ num_hidden_layers: 1e9 }, "config.json field num_hidden_layers is 1000000000, above this engine's limit of 1024"],
    [{ vocab_size: 2 ** 31 }, "config.json field vocab_size is 2147483648, above this engine's limit of 1048576"],
    [{ num_attention_heads: 2.5 }, 'config.json field num_attention_heads must be a positive integer, got 2.5'],
    [{ rms_norm_eps: -1 }, 'config.json field rms_norm_eps must be a positive number below 1, got -1'],
    [{ rms_norm_eps: '1e-6' }, 'config.json field rms_norm_eps must be a number, got string "1e-6"'],
    [{ rope_theta: 0 }, 'config.json field rope_theta must be a positive number, got 0'],
    [{ max_position_embeddings: '2048' }, 'config.json field max_position_embeddings must be a number, got string "2048"'],
    [{ num_key_value_heads: 3 }, 'num_attention_heads (4) must be a multiple of num_key_value_heads (3)'],
    [{ tie_word_embeddings: 'true' }, 'config.json field tie_word_embeddings must be true or false, got "true"'],
    [{ eos_token_id: [1, 'x'] }, 'config.json field eos_token_id must be a token id or a list of token ids, got [1,"x"]'],
    [{ hidden_size: 65536, intermediate_size: 262144, num_hidden_layers: 64, num_attention_heads: 512 }, "this config describes about 4398.1 billion parameters, above this engine's limit of 2.1 billion"],
    [{ vocab_size: undefined, hidden_size: null }, 'config.json is missing numeric field(s): vocab_size, hidden_size'],
  ])('%j', (extra, message) => {
    expect(refusal(extra)).toBe(message);
  });
});
