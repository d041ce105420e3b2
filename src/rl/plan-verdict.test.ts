// The Model panel's verdict per mode, from the exact plans, at Qwen3-0.6B's real shape: a 12 GiB GPU (4 GiB per
// buffer) refuses full fine-tuning (~18 GiB) and accepts LoRA (bf16 base, ~8.5 GiB), with advice; a 4 GiB GPU fits
// neither at this batch (activations and sampling alone are ~7 GiB), and the advice names a smaller run that fits.
import { describe, expect, it } from 'vitest';
import { parseModelConfig } from '../engine/config.ts';
import { mergeWithDefaults } from './config/schema.ts';
import { planVerdict, verdictModelConfig } from './plan-verdict.ts';

const smol = parseModelConfig({
  model_type: 'llama', vocab_size: 49152, hidden_size: 576, intermediate_size: 1536, num_hidden_layers: 30, num_attention_heads: 9,
  num_key_value_heads: 3, tie_word_embeddings: true, max_position_embeddings: 8192,
});
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

  it('SmolLM2-135M: its published parameter count; full fine-tuning needs at least 16 bytes a parameter, LoRA far less', () => {
    const v = planVerdict(smol, run, { name: 'a GPU', kind: 'webgpu', maxBufferBytes: 2 ** 30 });
    expect(v.params).toBe(134_515_008);
    // weights + gradients + two AdamW moments in f32
    expect(v.full.plan.totalBytes).toBeGreaterThan(16 * v.params);
    expect(v.full.fits).toBe(true);
    expect(v.full.reason).toMatch(/does not report its total memory/);
    // LoRA drops the gradients and AdamW state (12 bytes a parameter) and halves the projections: > 12 bytes saved
    expect(v.full.plan.totalBytes - v.lora.plan.totalBytes).toBeGreaterThan(12 * v.params);
  });

  it('a per-buffer limit names the buffer that does not fit, and LoRA is advised when its buffers do fit', () => {
    const small = { name: 'a small GPU', kind: 'webgpu' as const, maxBufferBytes: 256 * 2 ** 20 };
    const v = planVerdict(smol, run, small);
    expect(v.full.fits).toBe(false);
    // 134.5M f32 parameters, rounded up to the pool's bucket: 0.50 GiB
    expect(v.full.reason).toBe('the flat weight buffer needs 0.50 GiB; a small GPU allows 0.25 GiB per buffer');
    expect(v.full.advice).toEqual(['train with LoRA (the frozen base needs no gradients or optimiser state)']);
    expect(v.lora.fits).toBe(true);
  });

  it('the LoRA verdict follows the run\'s own lora block (a larger rank plans more adapter memory)', () => {
    const cpu = { name: 'the CPU', kind: 'cpu' as const };
    const r16 = planVerdict(smol, { ...run, lora: { rank: 16, alpha: 32, targets: ['q', 'v'], dropout: 0, baseDtype: 'bf16' } }, cpu);
    const r64 = planVerdict(smol, { ...run, lora: { rank: 64, alpha: 32, targets: ['q', 'v'], dropout: 0, baseDtype: 'bf16' } }, cpu);
    // q: 576 -> 576, v: 576 -> 192 in 30 layers: r (in + out) floats each, x4 bytes for the adapter itself
    const perRank = 30 * ((576 + 576) + (576 + 192)) * 4;
    expect(r16.lora.plan.parts.adapters).toBe(16 * perRank);
    expect(r64.lora.plan.parts.adapters).toBe(64 * perRank);
  });

  it('states small plans in MiB or KiB, not as 0.00 GiB', () => {
    const tiny = parseModelConfig({ model_type: 'llama', vocab_size: 40, hidden_size: 16, intermediate_size: 32, num_hidden_layers: 2, num_attention_heads: 2 });
    const v = planVerdict(tiny, run, { name: 'the CPU', kind: 'cpu' });
    expect(v.full.reason).toMatch(/^needs \d+\.\d (KiB|MiB) in all, at most \d+\.\d KiB in one buffer/);
  });

  it('reads a config.json the way the engine does, refusing what it cannot run with one line', () => {
    expect(verdictModelConfig({ model_type: 'llama', vocab_size: 10, hidden_size: 8, intermediate_size: 8, num_hidden_layers: 1, num_attention_heads: 2 }).hidden_size).toBe(8);
    expect(() => verdictModelConfig([])).toThrow('config.json must be a JSON object');
  });
});
