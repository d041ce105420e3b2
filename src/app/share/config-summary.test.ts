// "What's in this link": an added criterion shows each of its settings on its own line, so custom code in a link is
// readable in full before the user runs it.
import { describe, expect, it } from 'vitest';
import { mergeWithDefaults } from '../../rl/config/schema.ts';
import { getPreset } from '../../rl/presets.ts';
import { nonDefaultSettings } from './config-summary.ts';

describe('nonDefaultSettings', () => {
  it('lists an added custom-code criterion leaf by leaf, its code whole', () => {
    const preset = getPreset('arithmetic');
    const code = 'return completion.length < 20 ? 1 : 0';
    const config = mergeWithDefaults({
      ...preset,
      rubric: { criteria: [...preset.rubric.criteria, { name: 'short', kind: 'custom_code', weight: 0.5, params: { code } }] },
    });
    const lines = nonDefaultSettings(config);
    expect(lines).toContain(`rubric.criteria[short].params.code = ${JSON.stringify(code)}`);
    expect(lines).toContain('rubric.criteria[short].weight = 0.5');
    expect(nonDefaultSettings(preset)).toEqual([]);
  });
});
