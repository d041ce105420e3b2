// One small chart: a metric (or a few related ones) for one or more runs, with the raw train series faint
// behind its EMA-smoothed line, eval series as dots, the shared reference run dashed, and hover values.
// The figure is labelled by a text summary ("Reward: last 0.53, min 0.1, max 0.6 over 12 points").
import { memo, useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunRecord } from '../store/runs.ts';
import type { ChartSpec } from './chart-specs.ts';
import { buildChartData, chartSummary, formatTick, niceTicks, pointsDrawn, stepTicks, type ChartRow } from './series.ts';
import { ChartTooltip } from './ChartTooltip.tsx';

interface Props {
  spec: ChartSpec;
  /** Runs to draw, the primary first. */
  runs: RunRecord[];
  /** The run the summary and the point count describe (the current run), if any. */
  primary: RunRecord | null;
  smoothing: number;
  /** The x axis spans at least [0, totalSteps]. */
  totalSteps: number;
  height: number;
  testId: string;
  /** Text shown over an empty chart. */
  emptyText?: string;
}

/** Markers only while there are few points: dots on hundreds of points are noise and cost rendering time. */
const MAX_DOTTED_POINTS = 12;

export const MetricChart = memo(function MetricChart({ spec, runs, primary, smoothing, totalSteps, height, testId, emptyText }: Props) {
  const data = useMemo(() => buildChartData(spec, runs, smoothing), [spec, runs, smoothing]);
  const yTicks = useMemo(() => (data.yDomain ? niceTicks(data.yDomain) : undefined), [data.yDomain]);
  const rowsByStep = useMemo(() => new Map<number, ChartRow>(data.rows.map((r) => [r.step, r])), [data.rows]);
  const summary = chartSummary(spec, primary ?? runs.find((r) => !r.reference) ?? runs[0] ?? null);
  const xMax = Math.max(totalSteps, data.maxStep, 1);
  const titleId = `${testId}-title`;
  const showRunNames = new Set(data.lines.map((l) => l.runId)).size > 1;
  const dotted = data.rows.length <= MAX_DOTTED_POINTS;

  return (
    <figure className="metric-chart" data-testid={testId} data-points={pointsDrawn(spec, primary)} aria-labelledby={titleId}>
      <figcaption>
        <h3 id={titleId} title={spec.hint}>
          {spec.title}
        </h3>
        {spec.lines.length > 1 && <LineKey spec={spec} />}
      </figcaption>
      <div className="metric-chart-plot" role="img" aria-label={summary}>
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={data.rows} margin={{ top: 6, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" />
            <XAxis dataKey="step" type="number" domain={[0, xMax]} ticks={stepTicks(xMax)} allowDecimals={false} tick={{ fontSize: 11 }} />
            <YAxis
              domain={yTicks ? [yTicks[0], yTicks[yTicks.length - 1]] : ['auto', 'auto']}
              ticks={yTicks}
              interval={0}
              width={50}
              tickFormatter={(v: number) => formatTick(v)}
              tick={{ fontSize: 11 }}
            />
            <Tooltip
              isAnimationActive={false}
              content={({ active, label }) =>
                active ? <ChartTooltip step={Number(label)} row={rowsByStep.get(Number(label))} lines={data.lines} showRunNames={showRunNames} /> : null
              }
            />
            {data.lines.map((l) => (
              <Line
                key={l.dataKey}
                dataKey={l.dataKey}
                name={l.label}
                stroke={l.color}
                strokeOpacity={l.role === 'raw' ? 0.25 : 1}
                strokeWidth={l.role === 'raw' ? 1 : 2}
                strokeDasharray={l.dash}
                dot={l.role === 'eval' ? { r: 3, fill: l.color } : l.role === 'smooth' && dotted && !l.reference ? { r: 2 } : false}
                activeDot={l.role === 'raw' ? false : { r: 4 }}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
        {data.rows.length === 0 && emptyText && <p className="empty chart-empty">{emptyText}</p>}
      </div>
    </figure>
  );
});

/** The dash pattern of each metric of a multi-metric chart. */
function LineKey({ spec }: { spec: ChartSpec }) {
  return (
    <ul className="line-key" aria-label="Lines">
      {spec.lines.map((l) => (
        <li key={l.key}>
          <svg width="22" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="22" y2="4" stroke="currentColor" strokeWidth="2" strokeDasharray={l.dash} />
          </svg>
          {l.source === 'eval' ? `eval ${l.label}` : l.label}
        </li>
      ))}
    </ul>
  );
}
