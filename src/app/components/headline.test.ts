import { describe, expect, it } from 'vitest';
import { accuracyText, runHeadline } from './headline.ts';

const train = (rows: [number, number, number?][]) => rows.map(([step, reward, flat]) => ({ step, metrics: { reward, ...(flat === undefined ? {} : { frac_reward_zero_std: flat }) } }));
const evals = (rows: [number, number][]) => rows.map(([step, acc]) => ({ step, metrics: { 'eval/accuracy': acc, 'eval/reward': acc } }));

describe('runHeadline', () => {
  it('gives accuracy from the first to the latest evaluation with their steps, and the latest reward with its step', () => {
    const h = runHeadline({ step: 60, train: train([[59, 0.8], [60, 0.9]]), evals: evals([[0, 0.477], [30, 0.7], [60, 0.883]]) });
    expect(h.accuracy).toEqual({ from: 0.477, fromStep: 0, to: 0.883, toStep: 60 });
    expect(accuracyText(h.accuracy!)).toBe('0.48 → 0.88 (step 0 → 60)');
    expect(h.reward).toEqual({ value: 0.9, step: 60 });
    expect(h.stepsSinceEval).toBe(0);
  });

  it('says when the run trained past its latest evaluation (a stop that declined the final eval)', () => {
    const h = runHeadline({ step: 14, train: train([[14, 0.5]]), evals: evals([[0, 0.48], [10, 0.6]]) });
    expect(h.stepsSinceEval).toBe(4);
    expect(accuracyText(runHeadline({ step: 3, train: [], evals: evals([[0, 0.48]]) }).accuracy!)).toBe('0.48 (step 0)');
  });

  it('warns when nearly every recent group had no reward spread, not for a few flat steps', () => {
    const flat = runHeadline({ step: 5, train: train([[1, 1, 0.2], [2, 1, 0.9], [3, 1, 0.9], [4, 1, 1], [5, 1, 0.9]]), evals: [] });
    expect(flat.flatGroups).toBeCloseTo((0.2 + 0.9 + 0.9 + 1 + 0.9) / 5, 9); // 0.78 >= 0.75
    expect(runHeadline({ step: 5, train: train([[1, 1, 0.1], [2, 1, 0.5], [3, 1, 0.9], [4, 1, 0.9], [5, 1, 0.9]]), evals: [] }).flatGroups).toBeNull();
    expect(runHeadline({ step: 2, train: train([[1, 1, 1], [2, 1, 1]]), evals: [] }).flatGroups).toBeNull(); // too few steps
    expect(runHeadline(null)).toEqual({ accuracy: null, reward: null, stepsSinceEval: 0, flatGroups: null });
  });
});
