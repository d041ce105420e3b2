import { describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { diffRunConfigs, formatConfigValue } from './config-diff.ts';

const base = (): RunConfig => defaultRunConfig();
const summary = (a: RunConfig, b: RunConfig) => diffRunConfigs(a, b).map((c) => `${c.path}: ${formatConfigValue(c.a)} -> ${formatConfigValue(c.b)}`);

describe('diffRunConfigs', () => {
  it('finds nothing between equal configs', () => {
    expect(diffRunConfigs(base(), base())).toEqual([]);
  });

  it('lists changed leaves with their paths and both values', () => {
    const b = base();
    b.grpo.learningRate = 1e-3;
    b.sampling.maxNewTokens = 32;
    b.seed = 7;
    expect(summary(base(), b)).toEqual(['grpo.learningRate: 5e-4 -> 0.001', 'sampling.maxNewTokens: 16 -> 32', 'seed: 0 -> 7']);
  });

  it('compares criteria by name, so a weight change is one row', () => {
    const b = base();
    b.rubric.criteria[1].weight = 0.5;
    expect(summary(base(), b)).toEqual(['rubric.criteria[xml_format].weight: 0.2 -> 0.5']);
  });

  it('shows a reordering as an order change, not as changed fields', () => {
    const b = base();
    b.rubric.criteria.reverse();
    expect(summary(base(), b)).toEqual(['rubric.criteria (order): "correct_answer, xml_format" -> "xml_format, correct_answer"']);
  });

  it('shows added and removed criteria whole', () => {
    const b = base();
    b.rubric.criteria = [b.rubric.criteria[0], { name: 'short', kind: 'length_target', weight: -0.1, params: {} }];
    expect(summary(base(), b)).toEqual(['rubric.criteria[xml_format]: xml_format, weight 0.2 -> —', 'rubric.criteria[short]: — -> length_target, weight -0.1']);
  });

  it('reports params present on one side only, and other arrays as a whole', () => {
    const a = base();
    const b = base();
    b.task.params = { maxOperand: 20 };
    b.sampling.stop = ['</answer>'];
    expect(summary(a, b)).toEqual(['task.params.maxOperand: — -> 20', 'sampling.stop: [] -> ["</answer>"]']);
  });
});

describe('formatConfigValue', () => {
  it('shortens long text and keeps numbers exact', () => {
    expect(formatConfigValue('x'.repeat(500))).toMatch(/…" \(500 characters\)$/);
    expect(formatConfigValue(0.00051234)).toBe('5.1234e-4');
    expect(formatConfigValue(0.2)).toBe('0.2');
    expect(formatConfigValue(true)).toBe('true');
  });
});
