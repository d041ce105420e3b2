// The background-tab rule: short absences say nothing, a run that kept its pace says how far it got, one that
// fell below half its visible pace is called throttled.
import { describe, expect, it } from 'vitest';
import { backgroundVerdict, recentRate } from './background-pace.ts';

describe('backgroundVerdict', () => {
  const pace = { visibleRate: 2, hiddenAt: 1000, stepAtHide: 10 };
  it('says nothing about a short absence', () => {
    expect(backgroundVerdict(pace, 1000 + 14_000, 10)).toEqual({ kind: 'none' });
  });
  it('kept going: 40 steps in 20 s at a visible pace of 2/s', () => {
    expect(backgroundVerdict(pace, 21_000, 50)).toEqual({ kind: 'kept-going', steps: 40, seconds: 20 });
  });
  it('throttled: 10 steps in 20 s (0.5/s) is under half of 2/s', () => {
    expect(backgroundVerdict(pace, 21_000, 20)).toEqual({ kind: 'throttled', steps: 10, seconds: 20, hiddenRate: 0.5, visibleRate: 2 });
  });
  it('without a visible pace it cannot call it throttled', () => {
    expect(backgroundVerdict({ ...pace, visibleRate: null }, 21_000, 11)).toEqual({ kind: 'kept-going', steps: 1, seconds: 20 });
  });
});

describe('recentRate', () => {
  it('steps per second between the first and last sample', () => {
    expect(recentRate([{ t: 0, step: 0 }, { t: 500, step: 1 }, { t: 2000, step: 4 }])).toBe(2);
    expect(recentRate([{ t: 0, step: 0 }])).toBeNull();
  });
});
