// The picker's fit verdict from a config alone, at SmolLM2-135M's and Qwen3-0.6B's real shapes.
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../engine/config.ts';
import { mergeWithDefaults } from './config/schema.ts';
import { fitVerdict } from './model-fit.ts';

const smol = parseModelConfig({ model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, tie_word_embeddings: true, max_position_embeddings: 8192 });
const qwen3 = parseModelConfig({ model_type: 'qwen3', vocab_size: 151936, hidden_size: 1024, intermediate_size: 3072, num_hidden_layers: 28, num_attention_heads: 16, num_key_value_heads: 8, head_dim: 128, tie_word_embeddings: true, max_position_embeddings: 40960 });
// The benchmark's shape: 4 prompts x G 4 x 32 new tokens.
const run = mergeWithDefaults({ grpo: { promptsPerStep: 4, groupSize: 4 }, sampling: { maxNewTokens: 32 }, eval: { maxNewTokens: 32 } });

describe('fitVerdict', () => {
  it('SmolLM2-135M: 134.5M params; full fine-tuning needs at least 16 bytes per parameter, LoRA far less', () => {
    const v = fitVerdict(smol, run, { name: 'a GPU', maxBufferBytes: 2 ** 30 });
    expect(v.params).toBe(134_515_008); // SmolLM2-135M's published count
    expect(v.full.totalBytes).toBeGreaterThan(16 * v.params); // weights + grads + 2 AdamW moments in fp32
    expect(v.full.fits).toBe(true);
    // LoRA saves the fp32 weights' 4 copies (16 bytes/param) for 2 bytes/param; activations are the same.
    expect(v.full.totalBytes - v.lora.totalBytes).toBeGreaterThan(13 * v.params);
    expect(v.full.totalBytes - v.lora.totalBytes).toBeLessThan(14 * v.params);
    expect(v.full.reason).toMatch(/does not report its total memory/);
  });

  it('Qwen3-0.6B: a budget between the two plans refuses full fine-tuning and accepts LoRA; a 256 MiB buffer limit names the buffer', () => {
    const open = fitVerdict(qwen3, run, { name: 'x' });
    expect(open.full.totalBytes).toBeGreaterThan(16 * open.params);
    const budget = 2 ** 30 * Math.round((open.full.totalBytes + open.lora.totalBytes) / 2 / 2 ** 30);
    expect(open.full.totalBytes).toBeGreaterThan(budget);
    expect(open.lora.totalBytes).toBeLessThan(budget);
    const v = fitVerdict(qwen3, run, { name: 'this CPU', maxTotalBytes: budget });
    expect(v.full.fits).toBe(false);
    expect(v.full.reason).toMatch(new RegExp(`needs about \\d+\\.\\d\\d GiB; this CPU has about ${budget / 2 ** 30}\\.00 GiB`));
    expect(v.lora.fits).toBe(true);
    const small = fitVerdict(qwen3, run, { name: 'a small GPU', maxBufferBytes: 256 * 2 ** 20 });
    expect(small.full.fits).toBe(false);
    expect(small.full.reason).toMatch(/the flat weight buffer needs 2\.2\d GiB; a small GPU allows 0\.25 GiB per buffer/);
  });
});
