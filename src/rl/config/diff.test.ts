import { describe, expect, it } from 'vitest';
import { diffRunConfigs } from './diff.ts';
import { defaultRunConfig, type RunConfig } from './schema.ts';

const base = (): RunConfig => defaultRunConfig();
const paths = (a: RunConfig, b: RunConfig) => diffRunConfigs(a, b).map((c) => c.path);

describe('diffRunConfigs', () => {
  it('finds nothing between equal configs', () => {
    expect(diffRunConfigs(base(), base())).toEqual([]);
  });

  it('lists every changed leaf with both values, in the order of the first config', () => {
    const b = base();
    b.name = 'try';
    b.grpo.learningRate = 1e-3;
    b.grpo.lossType = 'dr_grpo';
    b.task.params = { maxOperand: 20, ops: '+-' };
    b.seed = 7;
    expect(diffRunConfigs(base(), b)).toEqual([
      { path: 'task.params.maxOperand', a: undefined, b: 20 },
      { path: 'task.params.ops', a: undefined, b: '+-' },
      { path: 'grpo.learningRate', a: 5e-4, b: 1e-3 },
      { path: 'grpo.lossType', a: 'dapo', b: 'dr_grpo' },
      { path: 'seed', a: 0, b: 7 },
      { path: 'name', a: undefined, b: 'try' },
    ]);
  });

  it('compares criteria by name, so a weight change is one row', () => {
    const b = base();
    b.rubric.criteria[1].weight = 0.5;
    expect(diffRunConfigs(base(), b)).toEqual([{ path: 'rubric.criteria[xml_format].weight', a: 0.2, b: 0.5 }]);
  });

  it('shows a reordering as an order change, not as changed fields', () => {
    const b = base();
    b.rubric.criteria.reverse();
    expect(diffRunConfigs(base(), b)).toEqual([
      { path: 'rubric.criteria (order)', a: 'correct_answer, xml_format', b: 'xml_format, correct_answer' },
    ]);
  });

  it('shows added and removed criteria whole', () => {
    const a = base();
    const b = base();
    const short = { name: 'short', kind: 'length_target' as const, weight: -0.1, params: {} };
    b.rubric.criteria = [b.rubric.criteria[0], short];
    expect(diffRunConfigs(a, b)).toEqual([
      { path: 'rubric.criteria[xml_format]', a: a.rubric.criteria[1], b: undefined },
      { path: 'rubric.criteria[short]', a: undefined, b: short },
    ]);
  });

  it('compares other arrays whole', () => {
    const b = base();
    b.sampling.stop = ['</answer>'];
    expect(diffRunConfigs(base(), b)).toEqual([{ path: 'sampling.stop', a: [], b: ['</answer>'] }]);
    expect(paths(b, b)).toEqual([]);
  });
});
