// The run config's lora block: absent means full fine-tuning; present, its defaults follow "LoRA Without Regret"
// (rank 16, alpha 32, every projection); bad values get one message naming the field; share-URL minimal forms keep it.
import { describe, expect, it } from 'vitest';
import { defaultRunConfig, mergeWithDefaults, nonDefaultValues, parseRunConfig, RUN_CONFIG_VERSION } from './schema.ts';

describe('run config lora block', () => {
  it('is absent by default (full fine-tuning) and fills its defaults when present', () => {
    expect(defaultRunConfig().lora).toBeUndefined();
    const c = parseRunConfig({ version: RUN_CONFIG_VERSION, lora: {} });
    expect(c.lora).toEqual({ rank: 16, alpha: 32, targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], dropout: 0, baseDtype: 'bf16' });
  });

  it('refuses bad values with one message naming the field', () => {
    const bad = (lora: unknown) => () => parseRunConfig({ version: RUN_CONFIG_VERSION, lora });
    expect(bad({ rank: 0 })).toThrow(/lora\.rank/);
    expect(bad({ dropout: 0.1 })).toThrow(/lora\.dropout/);
    expect(bad({ targets: ['q', 'lm_head'] })).toThrow(/lora\.targets/);
    expect(bad({ targets: ['q', 'q'] })).toThrow(/targets must not repeat/);
    expect(bad({ rank: 8, extra: 1 })).toThrow(/lora/);
  });

  it('survives the share-URL minimal form', () => {
    const c = parseRunConfig({ version: RUN_CONFIG_VERSION, lora: { rank: 4, targets: ['q', 'v'] } });
    expect(mergeWithDefaults(nonDefaultValues(c))).toEqual(c);
    const full = defaultRunConfig();
    expect(mergeWithDefaults(nonDefaultValues(full)).lora).toBeUndefined();
  });
});
