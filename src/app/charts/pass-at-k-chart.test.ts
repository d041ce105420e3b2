// The pass@k chart: drawn right after eval accuracy when a run logged eval/pass@k (eval.passAtK), with one line
// per k the runs logged plus greedy pass@1; absent otherwise.
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { newRun, type RunRecord } from '../store/runs.ts';
import { chartSpecsFor, passAtKs } from './chart-specs.ts';

const run = (n: number, evals: Record<string, number>[]): RunRecord => ({ ...newRun(n, defaultRunConfig()), evals: evals.map((metrics, i) => ({ step: i * 10, metrics })) });

describe('pass@k chart', () => {
  it('follows the eval chart with greedy pass@1 and each logged k in order', () => {
    const a = run(1, [{ 'eval/accuracy': 0.1, 'eval/pass@1_greedy': 0.1, 'eval/pass@1': 0.2, 'eval/pass@2': 0.3, 'eval/pass@8': 0.6, 'eval/pass@4': 0.5 }]);
    const b = run(2, [{ 'eval/accuracy': 0.2, 'eval/pass@1': 0.2, 'eval/pass@16': 0.7 }]);
    expect(passAtKs([a, b])).toEqual([1, 2, 4, 8, 16]);
    const specs = chartSpecsFor([a, b]);
    const ids = specs.map((s) => s.id);
    expect(ids.indexOf('pass-at-k')).toBe(ids.indexOf('eval') + 1);
    const chart = specs.find((s) => s.id === 'pass-at-k')!;
    expect(chart.lines.map((l) => [l.key, l.label, l.source])).toEqual([
      ['eval/pass@1_greedy', 'pass@1 greedy', 'eval'],
      ['eval/pass@1', 'pass@1', 'eval'],
      ['eval/pass@2', 'pass@2', 'eval'],
      ['eval/pass@4', 'pass@4', 'eval'],
      ['eval/pass@8', 'pass@8', 'eval'],
      ['eval/pass@16', 'pass@16', 'eval'],
    ]);
    expect(chartSpecsFor([a, b]).find((s) => s.id === 'pass-at-k')).toBe(chart); // the same spec object while k stay the same
  });

  it('is not drawn for runs without pass@k', () => {
    expect(chartSpecsFor([run(1, [{ 'eval/accuracy': 0.5 }])]).map((s) => s.id)).not.toContain('pass-at-k');
  });
});
