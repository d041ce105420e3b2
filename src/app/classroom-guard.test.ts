import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../rl/config/schema.ts';
import { changesHidden, ownerOf } from './classroom-guard.ts';
import { STARTERS } from './teaching/starters.ts';

describe('classroom guard', () => {
  it('maps settings to the panel that shows them', () => {
    expect(ownerOf('grpo.learningRate')).toBe('hyperparameters');
    expect(ownerOf('rubric.criteria[xml_format].weight')).toBe('rubric');
    expect(ownerOf('task.params.maxOperand')).toBe('task');
    expect(ownerOf('steps')).toBe('hyperparameters');
    expect(ownerOf('version')).toBeNull();
  });

  it('with the rubric hidden, a starter that edits the rubric is refused and one that does not is allowed', () => {
    const config = defaultRunConfig();
    const hidden = new Set(['rubric'] as const);
    const starter = (id: string) => STARTERS.find((s) => s.id === id)!;
    expect(changesHidden(config, starter('remove-format').apply(config), hidden)).toBe(true);
    expect(changesHidden(config, starter('lr-x10').apply(config), hidden)).toBe(false);
    expect(changesHidden(config, starter('lr-x10').apply(config), new Set(['hyperparameters']))).toBe(true);
    expect(changesHidden(config, structuredClone(config), new Set(['rubric', 'hyperparameters']))).toBe(false);
  });
});
