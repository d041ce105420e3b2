import { describe, expect, it } from 'vitest';
import { diffRunConfigs } from '../../rl/config/diff.ts';
import { defaultRunConfig, parseRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { PRESETS } from '../../rl/presets.ts';
import { STARTERS, starterApplies, type Starter } from './starters.ts';

const starter = (id: string): Starter => {
  const s = STARTERS.find((x) => x.id === id);
  if (!s) throw new Error(`no starter ${id}`);
  return s;
};
const paths = (a: RunConfig, b: RunConfig) => diffRunConfigs(a, b).map((d) => d.path);

describe('try-this starters', () => {
  it('are 4-7, with unique ids, a title and a one-line "what you will see"', () => {
    expect(STARTERS.length).toBeGreaterThanOrEqual(4);
    expect(STARTERS.length).toBeLessThanOrEqual(7);
    expect(new Set(STARTERS.map((s) => s.id)).size).toBe(STARTERS.length);
    for (const s of STARTERS) {
      expect(s.title.length).toBeGreaterThan(3);
      expect(s.watch).not.toContain('\n');
    }
  });

  it('give configs valid against the schema, for the default and every preset, without mutating the input', () => {
    for (const base of [defaultRunConfig(), ...Object.values(PRESETS)]) {
      const before = JSON.stringify(base);
      for (const s of STARTERS) {
        const out = s.apply(base as RunConfig);
        expect(parseRunConfig(out)).toEqual(out);
        expect(JSON.stringify(base)).toBe(before);
      }
    }
  });

  it('remove-format drops the xml_format criterion only', () => {
    const c = defaultRunConfig();
    const out = starter('remove-format').apply(c);
    expect(out.rubric.criteria.map((x) => x.kind)).toEqual(['correct_answer']);
    expect(starterApplies(starter('remove-format'), out)).toBe(false);
  });

  it('format-only zeroes correctness and rewards the format alone', () => {
    const out = starter('format-only').apply(defaultRunConfig());
    expect(out.rubric.criteria.map((x) => [x.kind, x.weight])).toEqual([
      ['correct_answer', 0],
      ['xml_format', 1],
    ]);
    // Without a format criterion it adds one (unique name).
    const noFormat = starter('remove-format').apply(defaultRunConfig());
    const added = starter('format-only').apply(noFormat);
    expect(added.rubric.criteria.map((x) => [x.name, x.weight])).toEqual([
      ['correct_answer', 0],
      ['xml_format', 1],
    ]);
  });

  it('group size goes to 2, and from 2 to 16', () => {
    const two = starter('group-size-2').apply(defaultRunConfig());
    expect(two.grpo.groupSize).toBe(2);
    expect(paths(defaultRunConfig(), two)).toEqual(['grpo.groupSize']);
    expect(starter('group-size-2').apply(two).grpo.groupSize).toBe(16);
  });

  it('learning rate x10 multiplies by ten, capped at the schema maximum', () => {
    const c = defaultRunConfig();
    expect(starter('lr-x10').apply(c).grpo.learningRate).toBeCloseTo(c.grpo.learningRate * 10, 12);
    c.grpo.learningRate = 0.5;
    expect(starter('lr-x10').apply(c).grpo.learningRate).toBe(1);
    c.grpo.learningRate = 1;
    expect(starterApplies(starter('lr-x10'), c)).toBe(false);
  });

  it('KL penalty sets beta 0.04; Dr. GRPO turns off std scaling', () => {
    expect(paths(defaultRunConfig(), starter('kl-penalty').apply(defaultRunConfig()))).toEqual(['grpo.beta']);
    expect(starter('kl-penalty').apply(defaultRunConfig()).grpo.beta).toBe(0.04);
    const dr = starter('dr-grpo').apply(defaultRunConfig());
    expect(dr.grpo.scaleRewards).toBe('none');
    expect(dr.grpo.lossType).toBe('dr_grpo');
  });
});
