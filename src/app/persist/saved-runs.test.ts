// Restoring saved runs next to the page's own: saved first, and a live run that took a saved run's id renumbered.
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { newRun } from '../store/runs.ts';
import { mergeSaved } from './saved-runs.ts';

describe('mergeSaved', () => {
  it('puts saved runs first and renumbers a live run that took a saved id (and the current id with it)', () => {
    const saved = [newRun(1, defaultRunConfig()), newRun(2, defaultRunConfig())];
    const live = [newRun(1, defaultRunConfig())];
    const merged = mergeSaved(saved, live, 'run-1');
    expect(merged.runs.map((r) => r.id)).toEqual(['run-1', 'run-2', 'run-3']);
    expect(merged.currentRunId).toBe('run-3');
    expect(mergeSaved(saved, [], null)).toEqual({ runs: saved, currentRunId: null });
  });
});
