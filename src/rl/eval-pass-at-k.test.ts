// pass@k in evaluation: the metric helper against values worked out by hand, and evaluate() with eval.passAtK on
// a real sampled decode (random tiny model, CPU backend) with a stand-in correctness criterion that records what
// it scored: G samples per row, scored by correctness only, the unbiased estimator per row, the same numbers on
// a second evaluation, and the greedy metrics untouched.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import { defaultRunConfig } from './config/schema.ts';
import { evaluate } from './evaluate.ts';
import { GREEDY_PASS_AT_1, passAtK, passAtKMetrics } from './pass-at-k.ts';
import { CRITERIA } from './rubric/criteria.ts';
import { Rubric } from './rubric/rubric.ts';
import type { CriterionKind } from './rubric/types.ts';
import { createTask } from './tasks/index.ts';

describe('passAtKMetrics (hand-computed)', () => {
  it('three rows of n = 4 with c = 1, 2, 0 passing', () => {
    // pass@1 = mean(c/n) = (1/4 + 2/4 + 0) / 3 = 0.25
    // pass@2: row c=1: 1 - C(3,2)/C(4,2) = 1 - 3/6 = 1/2; row c=2: 1 - C(2,2)/C(4,2) = 5/6; row c=0: 0 -> (1/2 + 5/6) / 3 = 4/9
    // pass@4: 1, 1, 0 -> 2/3
    const m = passAtKMetrics(
      [
        [1, 0, 0, 0],
        [0, 1, 0.999, 1], // 0.999 is partial credit, not a pass
        [0, 0, 0, 0],
      ],
      4,
    );
    expect(Object.keys(m)).toEqual(['eval/pass@1', 'eval/pass@2', 'eval/pass@4']);
    expect(m['eval/pass@1']).toBeCloseTo(0.25, 15);
    expect(m['eval/pass@2']).toBeCloseTo(4 / 9, 15);
    expect(m['eval/pass@4']).toBeCloseTo(2 / 3, 15);
  });
});

describe('evaluate with eval.passAtK', () => {
  const backend = new CpuBackend();
  const loaded = createTinyModel({ seed: 1 });

  /** correct_answer stand-in: passes when the completion has an even number of characters; records each call. */
  function recordingCorrectness() {
    const seen: { prompt: string; completion: string; score: number }[] = [];
    const kind: CriterionKind = {
      kind: 'correct_answer',
      description: 'test: even length passes',
      params: {},
      create: () => (ctx) => {
        const score = ctx.completion.length % 2 === 0 ? 1 : 0;
        seen.push({ prompt: ctx.prompt, completion: ctx.completion, score });
        return score;
      },
    };
    return { seen, registry: { ...CRITERIA, correct_answer: kind } };
  }

  async function run(passAtKOn: boolean) {
    const config = defaultRunConfig();
    config.task.evalSize = 5;
    config.eval.maxNewTokens = 5;
    config.grpo.groupSize = 4;
    config.eval.passAtK = passAtKOn;
    config.rubric.criteria = [{ name: 'format', kind: 'xml_format', weight: 1, params: {} }]; // no correctness criterion in the reward
    const task = createTask(config.task.name, config.task.params);
    const params = backend.allocFloat(loaded.layout.total);
    backend.uploadFloat(params, loaded.params);
    const model = new Model(backend, loaded.layout, params);
    const rec = recordingCorrectness();
    const result = await evaluate(model, { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate }, task, new Rubric(config.rubric.criteria, rec.registry), config);
    return { result, seen: rec.seen };
  }

  it('G samples per row scored by correctness, pass@k per row, deterministic; greedy metrics unchanged', { timeout: 60_000 }, async () => {
    const on = await run(true);
    const off = await run(false);
    expect(off.seen).toHaveLength(5); // greedy only
    expect(on.seen).toHaveLength(5 + 5 * 4); // greedy, then 4 samples for each of the 5 rows
    const sampled = on.seen.slice(5);
    const byPrompt = new Map<string, number[]>();
    for (const s of sampled) byPrompt.set(s.prompt, [...(byPrompt.get(s.prompt) ?? []), s.score]);
    expect([...byPrompt.values()].map((v) => v.length)).toEqual([4, 4, 4, 4, 4]);
    expect(new Set(sampled.map((s) => s.completion)).size).toBeGreaterThan(1); // sampled, not greedy
    for (const k of [1, 2, 4]) {
      const expected = [...byPrompt.values()].reduce((a, v) => a + passAtK(4, v.filter((x) => x === 1).length, k), 0) / 5;
      expect(on.result.metrics[`eval/pass@${k}`]).toBeCloseTo(expected, 12);
    }
    expect(on.result.metrics[GREEDY_PASS_AT_1]).toBe(on.result.samples.filter((s) => s.correct === 1).length / 5);
    // Greedy evaluation is the same with and without pass@k; without it, no pass@k metric is logged.
    const greedyKeys = Object.keys(off.result.metrics);
    expect(greedyKeys.some((k) => k.includes('pass@'))).toBe(false);
    for (const key of greedyKeys) expect(on.result.metrics[key]).toBe(off.result.metrics[key]);
    // The same seed gives the same sample at every evaluation.
    expect((await run(true)).result.metrics).toEqual(on.result.metrics);
  });
});
