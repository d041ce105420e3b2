import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { newRun, referenceRun, type RunRecord } from '../store/runs.ts';
import { chartSpecsFor, criterionNames, REWARD_CHART_ID, type ChartSpec } from './chart-specs.ts';
import { buildChartData, chartSummary, formatTick, formatTicks, formatValue, metricSeries, niceTicks, pointsDrawn, stepTicks, yDomain } from './series.ts';

function runWith(n: number, train: Record<string, number>[], evals: Record<string, number>[] = []): RunRecord {
  return {
    ...newRun(n, defaultRunConfig()),
    train: train.map((metrics, i) => ({ step: i + 1, metrics })),
    evals: evals.map((metrics, i) => ({ step: i * 10, metrics })),
  };
}

const rewardSpec = (runs: RunRecord[]): ChartSpec => chartSpecsFor(runs).find((s) => s.id === REWARD_CHART_ID)!;

describe('metricSeries', () => {
  it('keeps finite values of one key in order and skips missing or NaN ones', () => {
    const run = runWith(1, [{ reward: 0.1 }, { loss: 2 }, { reward: Number.NaN }, { reward: 0.4 }]);
    expect(metricSeries(run.train, 'reward')).toEqual([
      { step: 1, value: 0.1 },
      { step: 4, value: 0.4 },
    ]);
  });
});

describe('chartSpecsFor', () => {
  it('draws only metrics a run has, with one chart per criterion', () => {
    const run = runWith(1, [{ reward: 0.2, entropy: 1.5, 'rewards/correct_answer/mean': 0.1, 'rewards/xml_format/mean': 0.5 }]);
    const ids = chartSpecsFor([run]).map((s) => s.id);
    expect(ids).toEqual(['reward', 'criterion-correct_answer', 'criterion-xml_format', 'entropy']);
    expect(ids).not.toContain('kl');
  });

  it('keeps the reward chart even with no data (it shows the empty state)', () => {
    expect(chartSpecsFor([]).map((s) => s.id)).toEqual(['reward']);
  });

  it('shows the eval chart when evals exist and finds criteria across runs', () => {
    const a = runWith(1, [{ reward: 0, 'rewards/a/mean': 0 }], [{ 'eval/accuracy': 0.5 }]);
    const b = runWith(2, [{ reward: 0, 'rewards/b/mean': 0 }]);
    expect(criterionNames([a, b])).toEqual(['a', 'b']);
    expect(chartSpecsFor([a, b]).map((s) => s.id)).toContain('eval');
  });
});

describe('buildChartData', () => {
  it('merges runs by step with a raw and a smoothed line per train series', () => {
    const a = runWith(1, [{ reward: 0 }, { reward: 1 }]);
    const b = runWith(2, [{ reward: 1 }, { reward: 1 }, { reward: 1 }]);
    const { rows, lines, maxStep } = buildChartData(rewardSpec([a]), [a, b], 0.5);
    expect(rows.map((r) => r.step)).toEqual([1, 2, 3]);
    expect(lines.map((l) => `${l.runId}:${l.role}`)).toEqual(['run-1:raw', 'run-1:smooth', 'run-2:raw', 'run-2:smooth']);
    expect(lines.map((l) => l.color)).toEqual([a.color, a.color, b.color, b.color]);
    const smoothA = lines[1].dataKey;
    expect(rows[0][smoothA]).toBeCloseTo(0, 12);
    expect(rows[1][smoothA]).toBeCloseTo(0.5 / 0.75, 12); // debiased EMA of [0, 1] at weight 0.5
    expect(rows[2][smoothA]).toBeUndefined(); // run 1 has no step 3
    expect(maxStep).toBe(3);
  });

  it('draws a single line per series without smoothing and dashes the reference run', () => {
    const config = defaultRunConfig();
    const shared = referenceRun({ train: [{ step: 2, metrics: { reward: 0.3 } }], evals: [] }, config);
    const mine = runWith(1, [{ reward: 0.1 }]);
    const { lines } = buildChartData(rewardSpec([mine]), [mine, shared], 0);
    expect(lines.map((l) => l.role)).toEqual(['smooth', 'smooth']);
    expect(lines[0].dash).toBeUndefined();
    expect(lines[1].dash).toBeTruthy();
    expect(lines[1].runName).toBe('Shared run');
  });

  it('draws eval series as eval lines, never smoothed', () => {
    const run = runWith(1, [{ reward: 0 }], [{ 'eval/accuracy': 0.2, 'eval/reward': 0.5 }, { 'eval/accuracy': 0.8, 'eval/reward': 1 }]);
    const spec = chartSpecsFor([run]).find((s) => s.id === 'eval')!;
    const { rows, lines } = buildChartData(spec, [run], 0.9);
    expect(lines.map((l) => `${l.label}:${l.role}`)).toEqual(['accuracy:eval', 'reward:eval']);
    expect(rows.map((r) => r[lines[0].dataKey])).toEqual([0.2, 0.8]);
  });
});

describe('yDomain', () => {
  const spec = (runs: RunRecord[]) => chartSpecsFor(runs).find((s) => s.id === 'lr')!;

  it('spans the drawn values, raw and smoothed', () => {
    const run = runWith(1, [{ learning_rate: 1 }, { learning_rate: 3 }]);
    expect(buildChartData(spec([run]), [run], 0.5).yDomain).toEqual([1, 3]);
  });

  it('pads a flat series, including one that is flat up to rounding', () => {
    const run = runWith(1, [{ learning_rate: 0.001 }, { learning_rate: 0.0009999999999999998 }]);
    const [lo, hi] = buildChartData(spec([run]), [run], 0).yDomain!;
    expect(lo).toBeLessThan(0.00099);
    expect(hi).toBeGreaterThan(0.00101);
    const zero = runWith(1, [{ learning_rate: 0 }]);
    expect(buildChartData(spec([zero]), [zero], 0).yDomain).toEqual([-1, 1]);
  });

  it('is null without data', () => {
    expect(yDomain([], [])).toBeNull();
  });
});

describe('summaries and formatting', () => {
  it('summarises the last, min and max of a run', () => {
    const run = runWith(1, [{ reward: 0.1 }, { reward: 0.6 }, { reward: 0.53 }]);
    expect(chartSummary(rewardSpec([run]), run)).toBe('Reward: last 0.53, min 0.1, max 0.6 over 3 points');
    expect(chartSummary(rewardSpec([run]), null)).toBe('Reward: no data yet');
    expect(pointsDrawn(rewardSpec([run]), run)).toBe(3);
  });

  it('formats small, large and ordinary numbers compactly', () => {
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(0.0005)).toBe('5.00e-4');
    expect(formatValue(1234.6)).toBe('1235');
    expect(formatValue(undefined)).toBe('–');
  });

  it('places round y ticks that cover the range, without float noise', () => {
    expect(niceTicks([0.155, 0.447])).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks([0, 1])).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks([-0.155, 0.0314])).toEqual([-0.2, -0.15, -0.1, -0.05, 0, 0.05]);
    expect(niceTicks([0.0009, 0.0011])).toEqual([0.0009, 0.00095, 0.001, 0.00105, 0.0011]);
    expect(new Set(niceTicks([225, 2963])).size).toBe(niceTicks([225, 2963]).length);
    expect(formatTick(0.00055)).toBe('5.5e-4');
    expect(formatTick(0.25)).toBe('0.25');
  });

  it('places about six round ticks over the step range', () => {
    expect(stepTicks(50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(stepTicks(3)).toEqual([0, 1, 2, 3]);
  });
});

describe('formatTicks', () => {
  it('adds digits until every tick label differs', () => {
    expect(formatTicks([0.9985, 0.999, 0.9995, 1])).toEqual(['0.9985', '0.999', '0.9995', '1']);
    expect(formatTicks([0, 0.25, 0.5, 0.75, 1])).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(formatTicks([0.0005, 0.001])).toEqual(['5e-4', '0.001']);
  });
});
