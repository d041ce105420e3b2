import { describe, expect, it } from 'vitest';
import { formatBytes, formatParamCount, formatPercent } from './model-format.ts';

describe('model sizes', () => {
  it('writes parameter counts', () => {
    expect(formatParamCount(80640)).toBe('80.6k');
    expect(formatParamCount(135_000_000)).toBe('135M');
    expect(formatParamCount(1_540_000_000)).toBe('1.54B');
    expect(formatParamCount(999)).toBe('999');
  });

  it('writes file sizes 1024-based', () => {
    expect(formatBytes(324616)).toBe('317 KB');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(5 * 1024 * 1024 + 300_000)).toBe('5.3 MB');
  });

  it('writes percentages', () => {
    expect(formatPercent(0.469)).toBe('47%');
  });
});
