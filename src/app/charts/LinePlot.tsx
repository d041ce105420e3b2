// A small SVG line plot, drawn by hand instead of by a chart library: a live page redraws a dozen of these
// several times a second while it trains, and each is only a grid, two axes' labels and one path per line
// (a library chart costs hundreds of elements and tens of milliseconds each: the page froze). Hovering (or
// focusing the plot and using the arrow keys) shows the values at the nearest step via `renderTooltip`.
import { memo, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { ChartRow, DrawnLine } from './series.ts';
import { formatTicks } from './series.ts';
import { linePoints, nearestRow, pathOf, plotScales, type PlotBox, type Scales } from './plot-geometry.ts';

interface Props {
  rows: ChartRow[];
  lines: DrawnLine[];
  xMax: number;
  xTicks: number[];
  /** Round y ticks; the first and last are the y range. */
  yTicks: number[];
  height: number;
  /** Mark every point of the smoothed lines (few points). */
  dotted: boolean;
  /** The plot's text summary (its accessible name). */
  label: string;
  renderTooltip: (row: ChartRow) => ReactNode;
}

const MARGIN = { left: 46, right: 10, top: 6, bottom: 20 };

/** The element's content width, following resizes (0 until first measured). */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function LinePlot({ rows, lines, xMax, xTicks, yTicks, height, dotted, label, renderTooltip }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>();
  const [hoverStep, setHoverStep] = useState<number | null>(null);
  const box: PlotBox = { width, height, ...MARGIN };
  const scales = plotScales(box, [0, xMax], [yTicks[0], yTicks[yTicks.length - 1]]);
  const hovered = hoverStep === null ? undefined : nearestRow(rows, hoverStep);
  const plotBottom = height - MARGIN.bottom;

  const onPointerMove = (e: React.PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    setHoverStep(scales.stepAt(e.clientX - rect.left));
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (rows.length === 0 || (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight')) return;
    e.preventDefault();
    const i = hovered ? rows.indexOf(hovered) : e.key === 'ArrowLeft' ? rows.length : -1;
    const next = rows[Math.min(rows.length - 1, Math.max(0, i + (e.key === 'ArrowRight' ? 1 : -1)))];
    setHoverStep(next.step);
  };

  return (
    <div ref={ref} className="line-plot" style={{ height }}>
      <svg
        className="plot-surface"
        role="img"
        aria-label={label}
        width={width}
        height={height}
        onPointerMove={onPointerMove}
        onPointerLeave={() => setHoverStep(null)}
        onKeyDown={onKeyDown}
        onBlur={() => setHoverStep(null)}
        tabIndex={rows.length > 0 ? 0 : -1}
      >
        {width > 0 && (
          <>
            <PlotGrid width={width} height={height} xTicks={xTicks} yTicks={yTicks} scales={scales} />
            {lines.map((l) => (
              <Series key={l.dataKey} points={linePoints(rows, l, scales)} line={l} dotted={dotted} />
            ))}
            {hovered && (
              <g className="plot-hover">
                <line x1={scales.x(hovered.step)} x2={scales.x(hovered.step)} y1={MARGIN.top} y2={plotBottom} />
                {lines
                  .filter((l) => l.role !== 'raw' && hovered[l.dataKey] !== undefined)
                  .map((l) => (
                    <circle key={l.dataKey} cx={scales.x(hovered.step)} cy={scales.y(hovered[l.dataKey])} r={4} fill={l.color} />
                  ))}
              </g>
            )}
          </>
        )}
      </svg>
      {hovered && (
        <div
          className="plot-tooltip"
          style={scales.x(hovered.step) > width / 2 ? { right: width - scales.x(hovered.step) + 8 } : { left: scales.x(hovered.step) + 8 }}
        >
          {renderTooltip(hovered)}
        </div>
      )}
    </div>
  );
}

const sameTicks = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((t, i) => t === b[i]);

/**
 * Grid lines and tick labels. Memoised on what they show: a live chart redraws its lines several times a
 * second while its grid rarely changes (and each element costs, in React's development build especially).
 */
function GridLines({ width, height, xTicks, yTicks, scales }: { width: number; height: number; xTicks: number[]; yTicks: number[]; scales: Scales }) {
  const labels = formatTicks(yTicks);
  const plotBottom = height - MARGIN.bottom;
  return (
    <g className="plot-grid">
      {yTicks.map((t, i) => (
        <g key={`y${t}`}>
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={scales.y(t)} y2={scales.y(t)} />
          <text x={MARGIN.left - 5} y={scales.y(t)} dy="0.32em" textAnchor="end">
            {labels[i]}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t}`}>
          <line x1={scales.x(t)} x2={scales.x(t)} y1={MARGIN.top} y2={plotBottom} />
          <text x={scales.x(t)} y={plotBottom + 14} textAnchor="middle">
            {t}
          </text>
        </g>
      ))}
    </g>
  );
}

const PlotGrid = memo(
  GridLines,
  // The scales follow from the size and the ticks' ends, so equal sizes and ticks draw the same grid.
  (a, b) => a.width === b.width && a.height === b.height && sameTicks(a.xTicks, b.xTicks) && sameTicks(a.yTicks, b.yTicks),
);

/** One drawn line: its path, and markers on eval points (and on every point while there are few). */
function SeriesLine({ points, line, dotted }: { points: [number, number][]; line: DrawnLine; dotted: boolean }) {
  const marks = line.role === 'eval' ? 3 : line.role === 'smooth' && dotted && !line.reference ? 2 : 0;
  return (
    <g className={`plot-series plot-${line.role}`}>
      <path
        className="plot-line"
        d={pathOf(points)}
        stroke={line.color}
        strokeOpacity={line.role === 'raw' ? 0.25 : 1}
        strokeWidth={line.role === 'raw' ? 1 : 2}
        strokeDasharray={line.dash}
        strokeLinecap="round"
        fill="none"
      />
      {marks > 0 && points.map(([x, y]) => <circle key={x} cx={x} cy={y} r={marks} fill={line.color} />)}
    </g>
  );
}

/** Redrawn only when the line's path or style changed (most lines of most charts do not, step to step). */
const Series = memo(
  SeriesLine,
  (a, b) =>
    a.dotted === b.dotted &&
    a.line.color === b.line.color &&
    a.line.role === b.line.role &&
    a.line.dash === b.line.dash &&
    a.line.reference === b.line.reference &&
    pathOf(a.points) === pathOf(b.points),
);
