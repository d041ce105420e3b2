import { describe, expect, it } from 'vitest';
import { modelDims, parseModelConfig } from './config.ts';
import { checkFits, planMemory } from './memory.ts';
import { buildParamLayout } from './params.ts';

describe('memory plan', () => {
  // A Qwen2.5-0.5B-shaped config: vocab 151,936 x hidden 896.
  const cfg = parseModelConfig({
    model_type: 'qwen2', vocab_size: 151936, hidden_size: 896, intermediate_size: 4864, num_hidden_layers: 24,
    num_attention_heads: 14, num_key_value_heads: 2, tie_word_embeddings: true,
  });
  const layout = buildParamLayout(cfg);
  const plan = planMemory({
    dims: modelDims(cfg), paramFloats: layout.total, trainRows: 64 * 300, trainBatch: 64, trainT: 300,
    decodeRows: 64, decodeMaxT: 300, reference: true,
  });

  it('counts weights, gradients, AdamW state and the reference copy (5 x the weights)', () => {
    expect(layout.count).toBeGreaterThan(490e6);
    expect(plan.parts.weights + plan.parts.gradients + plan.parts['AdamW state'] + plan.parts.reference).toBe(5 * 4 * layout.total);
    expect(plan.largest.what).toBe('the flat weight buffer');
  });

  it('refuses a run whose largest buffer exceeds the device limit, naming needed vs available', () => {
    expect(() => checkFits(plan, { maxTensorBytes: 2 ** 30, deviceName: 'a test GPU' })).toThrow(
      /the flat weight buffer needs 1\.8\d GiB but the device allows 1\.00 GiB per buffer \(whole run: about \d+\.\d+ GiB\)/,
    );
    expect(() => checkFits(plan, { maxTensorBytes: 4 * 2 ** 30, deviceName: 'a big GPU' })).not.toThrow();
    expect(() => checkFits(plan, { deviceName: 'CPU' })).not.toThrow();
  });
});
