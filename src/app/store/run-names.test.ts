import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { differenceName, runName } from './run-names.ts';

describe('run names', () => {
  it('names a run by what differs from the previous one', () => {
    const a = defaultRunConfig();
    const b = structuredClone(a);
    b.grpo.learningRate = a.grpo.learningRate * 10;
    expect(differenceName(a, b)).toBe('lr ×10');
    expect(runName(2, b, a)).toBe('Run 2 · lr ×10');
    const c = structuredClone(a);
    c.grpo.groupSize = 2;
    expect(differenceName(a, c)).toBe(`G ÷${a.grpo.groupSize / 2}`);
    c.sampling.temperature = 0.7;
    c.grpo.beta = 0.04;
    expect(differenceName(a, c)).toMatch(/^.+, .+ \+1 more$/);
  });

  it('names rubric changes by criterion', () => {
    const a = defaultRunConfig();
    const b = structuredClone(a);
    const format = b.rubric.criteria.find((x) => x.kind === 'xml_format')!;
    format.weight = 0;
    expect(differenceName(a, b)).toMatch(new RegExp(`^${format.name} weight [\\d.]+ → 0$`));
    b.rubric.criteria = b.rubric.criteria.filter((x) => x !== format);
    expect(differenceName(a, b)).toBe(`−${format.name}`);
  });

  it('uses the task for a first run and says when nothing changed', () => {
    const a = defaultRunConfig();
    expect(runName(1, a)).toBe(`Run 1 · ${a.task.name}`);
    expect(runName(2, a, structuredClone(a))).toBe('Run 2 · same as run 1');
  });
});
