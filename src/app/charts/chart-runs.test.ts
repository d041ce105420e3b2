import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { newRun, referenceRun } from '../store/runs.ts';
import { chartRuns } from './chart-runs.ts';

describe('chartRuns', () => {
  const config = defaultRunConfig();
  const shared = referenceRun({ train: [], evals: [] }, config);
  const [a, b, c] = [1, 2, 3].map((n) => newRun(n, config));
  const all = [shared, a, b, c];
  const ids = (runs: { id: string }[]) => runs.map((r) => r.id);

  it('draws the current run and the reference run by default', () => {
    expect(ids(chartRuns(all, c, false, []))).toEqual(['run-3', 'shared']);
    expect(ids(chartRuns(all, null, false, []))).toEqual(['shared']);
  });

  it('overlays the other runs ticked in Compare when asked', () => {
    expect(ids(chartRuns(all, c, true, []))).toEqual(['run-3', 'shared', 'run-1', 'run-2']);
    expect(ids(chartRuns(all, c, true, ['run-1']))).toEqual(['run-3', 'shared', 'run-2']);
  });
});
