// The incremental write rule: only what is new since the last write goes out; a thinned store series never
// makes the database rewrite or lose points; rollouts the store dropped are deleted; meta only when it changed.
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { appendDownsampled, newRun, type RunRecord } from '../store/runs.ts';
import { isEmpty, marksOf, NOTHING_WRITTEN, runWrites } from './run-diff.ts';

const point = (step: number) => ({ step, metrics: { reward: step / 10 } });
const rollouts = (step: number) => ({ step, groups: [], criteria: [] });

describe('runWrites', () => {
  it('writes meta and every point once, then only the new ones', () => {
    let run: RunRecord = { ...newRun(1, defaultRunConfig()), step: 2, train: [point(1), point(2)], evals: [point(0)] };
    const first = runWrites(run, NOTHING_WRITTEN, 5, 6);
    expect(first.writes.run).toMatchObject({ id: 'run-1', step: 2, createdAt: 5, updatedAt: 6 });
    expect(first.writes.points.map((p) => [p.kind, p.step])).toEqual([
      ['train', 1],
      ['train', 2],
      ['eval', 0],
    ]);
    // Nothing changed: nothing to write.
    expect(isEmpty(runWrites(run, first.marks, 5, 7).writes)).toBe(true);
    run = { ...run, step: 3, train: [...run.train, point(3)] };
    const next = runWrites(run, first.marks, 5, 7);
    expect(next.writes.points.map((p) => p.step)).toEqual([3]);
    expect(next.writes.run?.step).toBe(3);
    // A rename alone rewrites the meta record only.
    const renamed = runWrites({ ...run, name: 'mine' }, next.marks, 5, 8);
    expect(renamed.writes.run?.name).toBe('mine');
    expect(renamed.writes.points).toEqual([]);
  });

  it('a series halved by the store still writes only the newest point', () => {
    let train: RunRecord['train'] = [];
    for (let s = 1; s <= 8; s++) train = appendDownsampled(train, point(s), 8);
    const run: RunRecord = { ...newRun(1, defaultRunConfig()), train };
    const marks = marksOf(run);
    const halved = appendDownsampled(train, point(9), 8); // thins to 1,3,5,7 then appends 9
    expect(halved.map((p) => p.step)).toEqual([1, 3, 5, 7, 9]);
    expect(runWrites({ ...run, train: halved }, marks, 0, 0).writes.points.map((p) => p.step)).toEqual([9]);
  });

  it('new warnings are appended by index; rollouts the store dropped are deleted, new ones written', () => {
    const base: RunRecord = { ...newRun(2, defaultRunConfig()), warnings: [{ step: 1, kind: 'k', message: 'm' }], rollouts: [rollouts(1), rollouts(2)] };
    const marks = marksOf(base);
    const later = { ...base, warnings: [...base.warnings, { step: 3, kind: 'k', message: 'n' }], rollouts: [rollouts(2), rollouts(3)] };
    const { writes } = runWrites(later, marks, 0, 0);
    expect(writes.warnings.map((w) => w.index)).toEqual([1]);
    expect(writes.rollouts.map((r) => r.step)).toEqual([3]);
    expect(writes.deleteRolloutSteps).toEqual([1]);
  });
});
