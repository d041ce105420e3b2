// One small chart: a metric (or a few related ones) for one or more runs, with the raw train series faint
// behind its EMA-smoothed line, eval series as dots, the shared reference run dashed, and hover values.
// The figure is labelled by its title and a text summary ("Reward: last 0.53, min 0.1, max 0.6 over 12
// points"), and captioned with what the curve means and what a healthy one looks like.
import { memo, useMemo } from 'react';
import type { RunRecord } from '../store/runs.ts';
import type { ChartSpec } from './chart-specs.ts';
import { chartCaption } from './chart-captions.ts';
import { displayDomain } from './chart-ranges.ts';
import { buildChartData, chartSummary, niceTicks, pointsDrawn, stepTicks } from './series.ts';
import { ChartTooltip } from './ChartTooltip.tsx';
import { LinePlot } from './LinePlot.tsx';

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
  const yTicks = useMemo(() => niceTicks(displayDomain(spec.id, data.yDomain) ?? [0, 1]), [spec.id, data.yDomain]);
  const summary = chartSummary(spec, primary ?? runs.find((r) => !r.reference) ?? runs[0] ?? null);
  const xMax = Math.max(totalSteps, data.maxStep, 1);
  const titleId = `${testId}-title`;
  const captionId = `${testId}-caption`;
  const caption = chartCaption(spec.id);
  const showRunNames = new Set(data.lines.map((l) => l.runId)).size > 1;

  return (
    <figure
      className="metric-chart"
      data-testid={testId}
      data-points={pointsDrawn(spec, primary)}
      data-y-range={`${yTicks[0]},${yTicks[yTicks.length - 1]}`}
      aria-labelledby={titleId}
      aria-describedby={caption ? captionId : undefined}
    >
      <figcaption>
        <h3 id={titleId} title={spec.hint}>
          {spec.title}
        </h3>
        {spec.lines.length > 1 && <LineKey spec={spec} />}
      </figcaption>
      <div className="metric-chart-plot">
        <LinePlot
          rows={data.rows}
          lines={data.lines}
          xMax={xMax}
          xTicks={stepTicks(xMax)}
          yTicks={yTicks}
          height={height}
          dotted={data.rows.length <= MAX_DOTTED_POINTS}
          label={summary}
          renderTooltip={(row) => <ChartTooltip step={row.step} row={row} lines={data.lines} showRunNames={showRunNames} />}
        />
        {data.rows.length === 0 && emptyText && <p className="empty chart-empty">{emptyText}</p>}
      </div>
      {caption && (
        <p className="chart-caption" id={captionId}>
          {caption}
        </p>
      )}
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
