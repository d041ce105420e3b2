import { describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig } from '../../rl/config/schema.ts';
import { CRITERIA } from '../../rl/rubric/criteria.ts';
import { addCriterion, CRITERION_KINDS, kindParams, moveCriterion, paramRange, paramValue, removeCriterion, uniqueName } from './rubric-edit.ts';

const criteria = defaultRunConfig().rubric.criteria;

describe('rubric edits', () => {
  it.each(CRITERION_KINDS.map((k) => [k]))('adding %s gives a valid config with a unique name', (kind) => {
    const twice = addCriterion(addCriterion(criteria, kind), kind);
    const names = twice.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(twice.at(-1)).toMatchObject({ kind, weight: 1 });
    expect(() => parseRunConfig({ ...defaultRunConfig(), rubric: { criteria: twice } })).not.toThrow();
  });

  it('makes unique names', () => {
    expect(uniqueName('a', [])).toBe('a');
    expect(uniqueName('a', ['a', 'a_2'])).toBe('a_3');
  });

  it('moves and removes without changing the input', () => {
    const list = addCriterion(criteria, 'regex');
    const before = structuredClone(list);
    expect(moveCriterion(list, 2, -1).map((c) => c.name)).toEqual(['correct_answer', 'regex', 'xml_format']);
    expect(moveCriterion(list, 0, 1).map((c) => c.name)).toEqual(['xml_format', 'correct_answer', 'regex']);
    expect(moveCriterion(list, 0, -1).map((c) => c.name)).toEqual(['correct_answer', 'xml_format', 'regex']);
    expect(moveCriterion(list, 2, 5).map((c) => c.name)).toEqual(['correct_answer', 'xml_format', 'regex']);
    expect(removeCriterion(list, 1).map((c) => c.name)).toEqual(['correct_answer', 'regex']);
    expect(list).toEqual(before);
  });

  it('shows a param from the config, else the kind default', () => {
    const [[key, spec]] = kindParams('custom_code');
    expect(key).toBe('code');
    expect(paramValue({}, key, spec)).toBe(CRITERIA.custom_code.params.code.default);
    expect(paramValue({ code: 'return 1' }, key, spec)).toBe('return 1');
    expect(kindParams('nope')).toEqual([]);
    expect(paramRange(CRITERIA.custom_code.params.timeLimitMs)).toBe('≥ 1, ≤ 1000');
  });
});
