// The one-click fixes beside a reward-hacking warning: what each does to the rubric, and when none is offered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { fixesFor } from './hacking-fixes.ts';

const withRubric = (criteria: RunConfig['rubric']['criteria']): RunConfig => ({ ...defaultRunConfig(), rubric: { criteria } });
const weights = (c: RunConfig) => Object.fromEntries(c.rubric.criteria.map((x) => [x.name, x.weight]));

describe('fixesFor', () => {
  it('a judge-only rubric with correctness logged at weight 0: reward correctness, cap the judge', () => {
    const config = withRubric([
      { name: 'judge', kind: 'llm_judge', weight: 1, params: { baseUrl: 'http://127.0.0.1:8000/v1', model: 'tiny-arith' } },
      { name: 'correct_answer', kind: 'correct_answer', weight: 0, params: {} },
    ]);
    const fixes = fixesFor('reward_vs_correctness', config);
    expect(fixes.map((f) => f.label)).toEqual(['Reward correctness (correct_answer weight 0 → 1)', 'Cap judge at weight 0.2']);
    expect(weights(fixes[0].apply(config))).toEqual({ judge: 1, correct_answer: 1 });
    expect(weights(fixes[1].apply(fixes[0].apply(config)))).toEqual({ judge: 0.2, correct_answer: 1 });
    expect(() => parseRunConfig(fixes[1].apply(fixes[0].apply(config)))).not.toThrow();
  });

  it('a rubric without a correctness criterion gets one added under a free name', () => {
    const config = withRubric([
      { name: 'xml_format', kind: 'xml_format', weight: 1, params: {} },
      { name: 'correct_answer', kind: 'contains', weight: 0.1, params: { text: '{answer}' } }, // the name is taken by another kind
    ]);
    const [add, cap] = fixesFor('format_without_accuracy', config);
    expect(add.label).toBe('Add a correctness criterion (correct_answer, weight 1)');
    const added = add.apply(config).rubric.criteria.at(-1)!;
    expect(added).toEqual({ name: 'correct_answer_2', kind: 'correct_answer', weight: 1, params: {} });
    expect(cap.label).toBe('Cap xml_format at weight 0.2');
  });

  it('nothing to fix: the default rubric (correctness 1, format 0.2), and a collapse', () => {
    expect(fixesFor('reward_vs_correctness', defaultRunConfig())).toEqual([]);
    expect(fixesFor('collapse', withRubric([{ name: 'xml_format', kind: 'xml_format', weight: 1, params: {} }]))).toEqual([]);
  });
});

describe('examples/judge-hacking.json (the gameable-judge demo, README "A judge that can be flattered")', () => {
  it('is a valid run config judged by `serve` on its default address, and both fixes apply to it', () => {
    const config = parseRunConfig(JSON.parse(readFileSync(new URL('../../../examples/judge-hacking.json', import.meta.url), 'utf8')));
    expect(config.rubric.criteria.map((c) => [c.name, c.kind, c.weight])).toEqual([
      ['judge', 'llm_judge', 1],
      ['correct_answer', 'correct_answer', 0],
    ]);
    expect(config.rubric.criteria[0].params).toMatchObject({ baseUrl: 'http://127.0.0.1:8000/v1', model: 'tiny-arith' });
    const fixed = fixesFor('reward_vs_correctness', config).reduce((c, f) => f.apply(c), config);
    expect(weights(fixed)).toEqual({ judge: 0.2, correct_answer: 1 });
  });
});
