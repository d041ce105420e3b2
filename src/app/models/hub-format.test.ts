import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, normaliseHubId } from './hub-format.ts';

describe('hub-format', () => {
  it('writes progress with bytes, rate and time left', () => {
    expect(formatProgress({ file: 'm', loaded: 12 * 2 ** 20, total: 256 * 2 ** 20, bytesPerSecond: 4.5 * 2 ** 20, etaSeconds: 54.2 })).toBe('12 MB / 256 MB · 4.5 MB/s · 54 s left');
    expect(formatProgress({ file: 'm', loaded: 1024, bytesPerSecond: 0 })).toBe('1 KB');
    expect(formatDuration(600)).toBe('10 min');
  });
  it('turns what a person types into hf:ORG/NAME[@REV]', () => {
    expect(normaliseHubId(' HuggingFaceTB/SmolLM2-135M-Instruct ')).toBe('hf:HuggingFaceTB/SmolLM2-135M-Instruct');
    expect(normaliseHubId('hf:Qwen/Qwen3-0.6B@main')).toBe('hf:Qwen/Qwen3-0.6B@main');
    expect(normaliseHubId('https://huggingface.co/Qwen/Qwen3-0.6B/tree/v1')).toBe('hf:Qwen/Qwen3-0.6B@v1');
  });
});
