// Rubric criteria inside real training: hostile custom code is contained while the GRPO step goes on, bad
// code is refused before training, and criteria are checked with the run config.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../engine/cpu/backend.ts';
import { createTinyModel } from '../../engine/io/model-folder.ts';
import { defaultRunConfig, parseRunConfig } from '../config/schema.ts';
import { Trainer } from '../trainer.ts';

function smallConfig() {
  const config = defaultRunConfig();
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 4;
  config.sampling.maxNewTokens = 6;
  config.eval.maxNewTokens = 6;
  config.task.evalSize = 4;
  return config;
}

describe('criteria in training', () => {
  it('a step completes around looping, escaping and throwing custom code; errors are counted per criterion', async () => {
    const config = smallConfig();
    config.rubric.criteria = [
      { name: 'xml_format', kind: 'xml_format', weight: 1, params: {} },
      { name: 'loops', kind: 'custom_code', weight: 1, params: { code: 'while (true) {}', timeLimitMs: 20 } },
      { name: 'escapes', kind: 'custom_code', weight: 1, params: { code: 'Object.prototype.pwned = 1; globalThis.x = 1; return fetch("http://127.0.0.1/")' } },
      { name: 'length', kind: 'custom_code', weight: 0, params: { code: '(p, c, a, messages, state) => c.length + messages.length * 0', timeLimitMs: 1000 } },
      { name: 'tokens', kind: 'overlong_penalty', weight: 1, params: {} },
    ];
    const trainer = await Trainer.create(config, createTinyModel({ seed: 1 }), new CpuBackend());
    const t0 = performance.now();
    const { metrics, samples } = await trainer.step();
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(metrics['rewards/loops/errors']).toBe(8);
    expect(metrics['rewards/escapes/errors']).toBe(8);
    expect(metrics['rewards/length/errors']).toBeUndefined();
    expect(metrics['rewards/tokens/errors']).toBeUndefined(); // the trainer fills completionTokens and maxNewTokens
    expect(metrics['rewards/length/mean']).toBeCloseTo(samples.reduce((a, s) => a + s.completion.length, 0) / 8, 9);
    expect(Number.isFinite(metrics.loss)).toBe(true);
    expect(({} as Record<string, unknown>).pwned).toBeUndefined();
    const e = await trainer.evaluate();
    expect(e.metrics['eval/rewards/loops/mean']).toBe(0);
  });

  it('code that does not compile is refused before training, naming the criterion', async () => {
    const config = smallConfig();
    config.rubric.criteria = [{ name: 'style', kind: 'custom_code', weight: 1, params: { code: 'return completion.length >' } }];
    await expect(Trainer.create(config, createTinyModel({ seed: 1 }), new CpuBackend())).rejects.toThrow(
      /^criterion 'style': custom code does not compile: SyntaxError: .*\(at the end of the code\)$/,
    );
  });

  it('criterion params are validated with the run config', () => {
    const withCriterion = (kind: string, params: Record<string, unknown>) =>
      parseRunConfig({ version: 1, rubric: { criteria: [{ name: 'c', kind, weight: 1, params }] } });
    expect(() => withCriterion('regex', { pattern: '(' })).toThrow(/^rubric\.criteria\[0\]\.params: regex: invalid pattern/);
    expect(() => withCriterion('llm_judge', { baseUrl: 'ftp://x' })).toThrow('rubric.criteria[0].params: llm_judge: baseUrl must start with http:// or https://');
    expect(() => withCriterion('custom_code', { code: 'x'.repeat(10_001) })).toThrow(/rubric\.criteria\[0\]\.params/);
    expect(() => withCriterion('length_target', { shape: 'cosine' })).toThrow("rubric.criteria[0].params: length_target: param 'shape' must be one of 'linear', 'gaussian'");
    expect(withCriterion('custom_code', { code: 'return 1' }).rubric.criteria[0].kind).toBe('custom_code');
  });
});
