// The Model panel's verdict per mode, from the exact plans, at Qwen3-0.6B's real shape: a 12 GiB GPU (4 GiB per
// buffer) refuses full fine-tuning (~18 GiB) and accepts LoRA (bf16 base, ~8.5 GiB), with advice; a 4 GiB GPU fits
// neither at this batch (activations and sampling alone are ~7 GiB), and the advice names a smaller run that fits.
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../engine/config.ts';
import { mergeWithDefaults } from './config/schema.ts';
import { planVerdict } from './plan-verdict.ts';

const qwen3 = parseModelConfig({
  model_type: 'qwen3', vocab_size: 151936, hidden_size: 1024, intermediate_size: 3072, num_hidden_layers: 28, num_attention_heads: 16,
  num_key_value_heads: 8, head_dim: 128, tie_word_embeddings: true, max_position_embeddings: 40960,
});
const run = mergeWithDefaults({ grpo: { promptsPerStep: 4, groupSize: 4 }, sampling: { maxNewTokens: 32 }, eval: { maxNewTokens: 32 } });
const gpu12 = { name: 'a 12 GiB GPU', kind: 'webgpu' as const, maxBufferBytes: 4 * 2 ** 30, maxTotalBytes: 12 * 2 ** 30 };
const gpu4 = { name: 'a 4 GiB GPU', kind: 'webgpu' as const, maxBufferBytes: 2 ** 30, maxTotalBytes: 4 * 2 ** 30 };

describe('planVerdict', () => {
  it('Qwen3-0.6B on a 12 GiB GPU: full fine-tuning does not fit, LoRA does, and the advice says so', () => {
    const v = planVerdict(qwen3, run, gpu12);
    expect(v.params).toBeGreaterThan(590e6);
    expect(v.full.fits).toBe(false);
    expect(v.full.reason).toMatch(/needs 1\d\.\d\d GiB; a 12 GiB GPU has about 12\.00 GiB/);
    expect(v.full.advice[0]).toMatch(/train with LoRA/);
    expect(v.lora.fits).toBe(true);
    expect(v.lora.plan.parts.reference).toBe(0);
    // the base: 155.6M embedding floats in f32 + 440M projection weights in bf16, about 1.4 GiB
    expect(v.lora.plan.parts['weights (frozen base)'] / 2 ** 30).toBeCloseTo(1.4, 1);
  });

  it('the CPU keeps the base in f32, so its LoRA plan is larger than on WebGPU', () => {
    const cpu = planVerdict(qwen3, run, { name: 'the CPU', kind: 'cpu' });
    const gpu = planVerdict(qwen3, run, gpu12);
    expect(cpu.lora.plan.totalBytes).toBeGreaterThan(gpu.lora.plan.totalBytes);
  });

  it('when LoRA does not fit either, advises the first smaller run that does, and that run does fit', () => {
    const v = planVerdict(qwen3, run, gpu4);
    expect(v.lora.fits).toBe(false);
    const advice = v.lora.advice.join(' ');
    expect(advice).toMatch(/^or fit LoRA with \d+ prompt\(s\) per step/);
    const smaller = v.lora.fitsWith!;
    expect(advice).toContain(`${smaller.grpo.promptsPerStep} prompt(s) per step`);
    expect(planVerdict(qwen3, smaller, gpu4).lora.fits).toBe(true);
    const tiny = { ...gpu4, maxTotalBytes: 2 ** 28 }; // 256 MiB: not even the frozen base fits
    expect(planVerdict(qwen3, run, tiny).lora.advice).toEqual([]);
  });
});
