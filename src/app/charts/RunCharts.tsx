// The charts for a set of runs: reward and held-out accuracy first and larger, side by side, then small
// multiples, one per criterion and per training signal the runs logged. Shared by the Charts and Compare tabs. Re-renders at most a few
// times per second however fast metrics arrive.
import { useMemo } from 'react';
import { useStore } from '../store.ts';
import type { RunRecord } from '../store/runs.ts';
import { chartSpecsFor, REWARD_CHART_ID, type ChartSpec } from './chart-specs.ts';
import { MetricChart } from './MetricChart.tsx';
import { useThrottledValue } from './use-throttled.ts';
import './charts.css';

/** Chart updates per second at most while training. */
const REDRAW_INTERVAL_MS = 300;

interface Props {
  runs: RunRecord[];
  primary: RunRecord | null;
  totalSteps: number;
  /** Prefix of the charts' test ids ('' on the Charts tab: the reward chart is `reward-chart`). */
  testIdPrefix?: string;
  emptyText?: string;
}

/** The two charts that say whether the run works, drawn first and larger: reward and held-out accuracy. */
const PRIMARY_CHARTS = [REWARD_CHART_ID, 'eval'];

export function RunCharts({ runs, primary, totalSteps, testIdPrefix = '', emptyText }: Props) {
  const smoothing = useStore((s) => s.smoothing);
  const shown = useThrottledValue(useMemo(() => ({ runs, primary }), [runs, primary]), REDRAW_INTERVAL_MS);
  const specs = useMemo(() => chartSpecsFor(shown.runs), [shown.runs]);
  const chart = (spec: ChartSpec) => {
    const isReward = spec.id === REWARD_CHART_ID;
    return (
      <MetricChart
        key={spec.id}
        spec={spec}
        runs={shown.runs}
        primary={shown.primary}
        smoothing={smoothing}
        totalSteps={totalSteps}
        height={PRIMARY_CHARTS.includes(spec.id) ? 190 : 130}
        testId={`${testIdPrefix}${isReward ? 'reward-chart' : `chart-${spec.id}`}`}
        emptyText={isReward ? emptyText : undefined}
      />
    );
  };

  return (
    <>
      <div className="chart-grid chart-grid-primary">{specs.filter((s) => PRIMARY_CHARTS.includes(s.id)).map(chart)}</div>
      <div className="chart-grid">{specs.filter((s) => !PRIMARY_CHARTS.includes(s.id)).map(chart)}</div>
    </>
  );
}
