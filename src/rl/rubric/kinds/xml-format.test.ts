// xml_format: its `fields` are checked with the run config (before, a bad list only failed when training began).
import { describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig } from '../../config/schema.ts';
import { createCriterion } from '../criteria.ts';

const withFields = (fields: unknown) => {
  const config = defaultRunConfig();
  return { ...config, rubric: { criteria: [{ name: 'fmt', kind: 'xml_format', weight: 1, params: { fields } }] } };
};

describe('xml_format', () => {
  it('refuses bad field lists in the config, naming the criterion', () => {
    for (const [fields, message] of [
      ['', /^rubric\.criteria\[0\]\.params: xml_format.*XMLParser needs at least one field/],
      [' , ,', /needs at least one field/],
      ['think,answer,think', /duplicate XML field in \[think, answer, think\]/],
      ['an<swer', /invalid XML field name 'an<swer'/],
      ['a b', /invalid XML field name 'a b'/],
    ] as const) {
      expect(() => parseRunConfig(withFields(fields)), fields).toThrow(message);
    }
    expect(parseRunConfig(withFields('think, answer')).rubric.criteria[0].params.fields).toBe('think, answer');
  });

  it('scores the format of valid fields', async () => {
    const fn = createCriterion('xml_format', { fields: 'think,answer' });
    expect(await fn({ prompt: 'p', completion: '<think>x</think>\n<answer>1</answer>', answer: '1' })).toBe(1);
    expect(await fn({ prompt: 'p', completion: 'no tags', answer: '1' })).toBe(0);
  });
});
