import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { valueAt } from './config-edit.ts';
import { HYPERPARAMETER_GROUPS } from './hyperparameter-groups.ts';
import { fieldInfo, rangeText } from './schema-fields.ts';

describe('fieldInfo', () => {
  it('reads bounds, integer-ness, choices, defaults and help from the schema', () => {
    expect(fieldInfo(['grpo', 'learningRate'])).toMatchObject({ type: 'number', min: 0, minInclusive: false, max: 1, maxInclusive: true, default: 5e-4 });
    expect(fieldInfo(['grpo', 'groupSize'])).toMatchObject({ type: 'number', integer: true, min: 2, max: 256, default: 8 });
    expect(fieldInfo(['grpo', 'lossType'])).toMatchObject({ type: 'enum', options: ['grpo', 'bnpo', 'dr_grpo', 'dapo'], default: 'dapo' });
    expect(fieldInfo(['grpo', 'maskTruncatedCompletions'])).toMatchObject({ type: 'boolean', default: false });
    expect(fieldInfo(['sampling', 'stop'])).toMatchObject({ type: 'array', default: [] });
    expect(fieldInfo(['rubric', 'criteria', 0, 'weight']).description).toMatch(/0 logs without rewarding/);
    expect(fieldInfo(['seed']).description).toMatch(/uint32/);
  });

  it('throws for a field the schema lacks', () => {
    expect(() => fieldInfo(['grpo', 'nope'])).toThrow(/no field 'nope'/);
  });

  it('writes ranges', () => {
    expect(rangeText(fieldInfo(['grpo', 'learningRate']))).toBe('> 0, ≤ 1');
    expect(rangeText(fieldInfo(['grpo', 'adamBeta1']))).toBe('≥ 0, < 1');
    expect(rangeText(fieldInfo(['eval', 'every']))).toBe('≥ 0');
  });
});

describe('the hyperparameter groups', () => {
  const fields = HYPERPARAMETER_GROUPS.flatMap((g) => g.fields);

  it('name only schema fields, each once, each with an explanation and a default', () => {
    const paths = fields.map((f) => f.path.join('.'));
    expect(new Set(paths).size).toBe(paths.length);
    for (const f of fields) {
      const info = fieldInfo(f.path);
      expect(info.description, f.path.join('.')).not.toBe('');
      expect(info.default, f.path.join('.')).toEqual(valueAt(defaultRunConfig(), f.path));
    }
  });

  it('cover every grpo, sampling and eval field, plus steps and seed', () => {
    const config = defaultRunConfig();
    const expected = [
      ...Object.keys(config.grpo).map((k) => `grpo.${k}`),
      ...Object.keys(config.sampling).map((k) => `sampling.${k}`),
      ...Object.keys(config.eval).map((k) => `eval.${k}`),
      'steps',
      'seed',
    ];
    expect(fields.map((f) => f.path.join('.')).sort()).toEqual(expected.sort());
  });

  it('link papers by arXiv address', () => {
    for (const f of fields) if (f.paper) expect(f.paper.url).toMatch(/^https:\/\/arxiv\.org\/abs\/\d{4}\.\d{5}$/);
    expect(fields.find((f) => f.path.join('.') === 'grpo.importanceSampling')?.paper?.label).toBe('GSPO');
  });
});
