// Evaluation's scoring rules on a real greedy decode (random tiny model, CPU backend): failures score 0 and
// are counted, eval/accuracy comes from the rubric's own correctness criterion scored once, or from the
// correctness kind with defaults when the rubric lacks it.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { defaultRunConfig, type RunConfig } from './config/schema.ts';
import { evaluate } from './evaluate.ts';
import { CRITERIA } from './rubric/criteria.ts';
import { Rubric } from './rubric/rubric.ts';
import type { CriterionKind } from './rubric/types.ts';
import { createTask } from './tasks/index.ts';

const backend = new CpuBackend();
const loaded = createTinyModel({ seed: 1 });

/** A stand-in for correct_answer that throws on odd reference answers and scores 1 on the others; counts calls. */
function flakyCorrectness() {
  const calls = { n: 0 };
  const kind: CriterionKind = {
    kind: 'correct_answer',
    description: 'test: throws on odd answers',
    params: {},
    create: () => (ctx) => {
      calls.n++;
      if (Number(ctx.answer) % 2 === 1) throw new Error('odd answer');
      return 1;
    },
  };
  return { calls, registry: { ...CRITERIA, correct_answer: kind } };
}

async function run(criteria: RunConfig['rubric']['criteria']) {
  const config: RunConfig = defaultRunConfig();
  config.task.evalSize = 12;
  config.eval.maxNewTokens = 4;
  config.rubric.criteria = criteria;
  const task = createTask(config.task.name, config.task.params);
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  const model = new Model(backend, loaded.layout, params);
  const flaky = flakyCorrectness();
  const rubric = new Rubric(criteria, flaky.registry);
  const result = await evaluate(model, { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate }, task, rubric, config);
  const odd = result.samples.filter((s) => Number(s.answer) % 2 === 1).length;
  return { result, odd, calls: flaky.calls.n };
}

describe('evaluate', () => {
  it("counts the rubric's correctness criterion's failures as wrong answers and errors, scoring it once per completion", async () => {
    const { result, odd, calls } = await run([
      { name: 'right', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'fmt', kind: 'xml_format', weight: 0.5, params: {} },
    ]);
    const n = result.samples.length;
    expect(n).toBe(12);
    expect(odd).toBeGreaterThan(0); // premise: some answers are odd
    expect(odd).toBeLessThan(n);
    expect(calls).toBe(n); // scored with the rubric, not a second time for accuracy
    for (const s of result.samples) expect(s.correct).toBe(Number(s.answer) % 2 === 1 ? 0 : 1);
    expect(result.metrics['eval/accuracy']).toBeCloseTo((n - odd) / n, 12);
    expect(result.metrics['eval/accuracy_errors']).toBe(odd);
    expect(result.metrics['eval/rewards/right/errors']).toBe(odd);
    expect(result.metrics['eval/rewards/right/mean']).toBeCloseTo((n - odd) / n, 12);
    expect(result.metrics).not.toHaveProperty('eval/rewards/fmt/errors');
  });

  it('without a correctness criterion in the rubric, accuracy uses that kind with defaults (and counts its failures)', async () => {
    const { result, odd, calls } = await run([{ name: 'fmt', kind: 'xml_format', weight: 1, params: {} }]);
    const n = result.samples.length;
    expect(calls).toBe(n);
    expect(result.metrics['eval/accuracy']).toBeCloseTo((n - odd) / n, 12);
    expect(result.metrics['eval/accuracy_errors']).toBe(odd);
    expect(Object.keys(result.metrics).filter((k) => k.startsWith('eval/rewards/'))).toEqual(['eval/rewards/fmt/mean']);
    // The reward does not include the stand-in: xml_format alone on random text.
    expect(result.metrics['eval/reward']).toBe(result.metrics['eval/rewards/fmt/mean']);
  });
});
