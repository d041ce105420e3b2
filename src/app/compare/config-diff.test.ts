import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { formatConfigValue } from './config-diff.ts';

describe('formatConfigValue', () => {
  it('shortens long text and keeps numbers exact', () => {
    expect(formatConfigValue('x'.repeat(500))).toMatch(/…" \(500 characters\)$/);
    expect(formatConfigValue(0.00051234)).toBe('5.1234e-4');
    expect(formatConfigValue(0.2)).toBe('0.2');
    expect(formatConfigValue(true)).toBe('true');
    expect(formatConfigValue(undefined)).toBe('—');
    expect(formatConfigValue(defaultRunConfig().rubric.criteria[1])).toBe('xml_format, weight 0.2');
  });
});
