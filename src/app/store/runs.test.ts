import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { fixtureRollouts } from '../rollouts/fixture.ts';
import { appendDownsampled, keepRollouts, newRun, referenceRun, rolloutTokens, RUN_PALETTE, type RolloutKeepRule } from './runs.ts';
import type { StepRollouts } from '../../worker/protocol.ts';

describe('newRun', () => {
  it('names, numbers and colours runs, copying the config', () => {
    const config = defaultRunConfig();
    const run = newRun(2, config);
    expect(run).toMatchObject({ id: 'run-2', name: 'Run 2 · arithmetic', color: RUN_PALETTE[1], step: 0, reference: false });
    config.grpo.learningRate = 0.1;
    expect(run.config.grpo.learningRate).toBe(5e-4);
    expect(newRun(RUN_PALETTE.length + 1, config).color).toBe(RUN_PALETTE[0]);
  });

  it('turns shared curves into a reference run, sorted by step', () => {
    const run = referenceRun({ name: 'baseline', train: [{ step: 3, metrics: { reward: 1 } }, { step: 1, metrics: { reward: 0 } }], evals: [] }, defaultRunConfig());
    expect(run).toMatchObject({ id: 'shared', name: 'Shared run · baseline', reference: true, step: 3, rollouts: [] });
    expect(run.train.map((p) => p.step)).toEqual([1, 3]);
  });
});

describe('appendDownsampled', () => {
  it('halves a full series before appending', () => {
    let series = [0, 1, 2, 3].map((step) => ({ step, metrics: {} }));
    series = appendDownsampled(series, { step: 4, metrics: {} }, 4);
    expect(series.map((p) => p.step)).toEqual([0, 2, 4]);
  });
});

describe('keepRollouts', () => {
  const rule: RolloutKeepRule = { recent: 5, stride: 10, maxOld: 3, maxTokens: Number.POSITIVE_INFINITY };
  const feed = (steps: number[], r = rule, size = 1) => steps.reduce<StepRollouts[]>((kept, s) => keepRollouts(kept, fixtureRollouts(s, size, 2), r), []);
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

  it('keeps every recent step', () => {
    expect(feed(range(1, 5)).map((r) => r.step)).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps only stride multiples older than the recent window', () => {
    expect(feed(range(1, 25)).map((r) => r.step)).toEqual([10, 20, 21, 22, 23, 24, 25]);
  });

  it('thins the old steps to every other one when there are too many', () => {
    // Old multiples of 10 up to 90: 10..90 (9 of them) exceed maxOld 3 and are halved until they fit.
    const steps = feed(range(1, 95)).map((r) => r.step);
    expect(steps.slice(-5)).toEqual([91, 92, 93, 94, 95]);
    const old = steps.slice(0, -5);
    expect(old.length).toBeLessThanOrEqual(3);
    expect(old.every((s) => s % 10 === 0)).toBe(true);
    expect(old[0]).toBe(10); // the look back still reaches the start
  });

  it('replaces a step seen again instead of keeping both', () => {
    const kept = keepRollouts(feed([1, 2]), { ...fixtureRollouts(2, 3, 2) });
    expect(kept.map((r) => r.step)).toEqual([1, 2]);
    expect(kept[1].groups).toHaveLength(3);
  });

  it('drops the oldest steps beyond the token budget but always keeps the latest', () => {
    const perStep = rolloutTokens(fixtureRollouts(1, 2, 2));
    const tight = { ...rule, maxTokens: perStep * 2 };
    expect(feed(range(1, 5), tight, 2).map((r) => r.step)).toEqual([4, 5]);
    const tiny = { ...rule, maxTokens: 1 };
    expect(feed(range(1, 3), tiny, 2).map((r) => r.step)).toEqual([3]);
  });
});
