// The geometry of one line plot as pure functions: linear scales from data to pixels, an SVG path per drawn
// line (gaps in a series are bridged, as the series are sparse by design), and the row nearest a pointer.
// The plot component (LinePlot.tsx) only turns these into a few SVG elements.
import type { ChartRow, DrawnLine } from './series.ts';

export interface PlotBox {
  width: number;
  height: number;
  /** Room for the y tick labels (left) and the x tick labels (bottom). */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Scales {
  x: (step: number) => number;
  y: (value: number) => number;
  /** The step under a pixel column (inverse of x). */
  stepAt: (px: number) => number;
}

export function plotScales(box: PlotBox, xDomain: [number, number], yDomain: [number, number]): Scales {
  const [x0, x1] = xDomain;
  const [y0, y1] = yDomain;
  const w = Math.max(1, box.width - box.left - box.right);
  const h = Math.max(1, box.height - box.top - box.bottom);
  const xs = w / (x1 - x0 || 1);
  const ys = h / (y1 - y0 || 1);
  return {
    x: (step) => box.left + (step - x0) * xs,
    y: (value) => box.top + h - (value - y0) * ys,
    stepAt: (px) => x0 + (px - box.left) / xs,
  };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The points of one line (rows that have its column), in pixels. */
export function linePoints(rows: readonly ChartRow[], line: DrawnLine, scales: Scales): [number, number][] {
  const out: [number, number][] = [];
  for (const row of rows) {
    const v = row[line.dataKey];
    if (v === undefined || !Number.isFinite(v)) continue;
    out.push([round1(scales.x(row.step)), round1(scales.y(v))]);
  }
  return out;
}

/** An SVG path through the points ('' for none; a single point is a zero-length segment, drawn as a dot). */
export function pathOf(points: readonly [number, number][]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  return `M${first[0]},${first[1]}` + (rest.length ? rest.map(([x, y]) => `L${x},${y}`).join('') : `h0`);
}

/** The row whose step is nearest `step` (rows sorted by step), or undefined when there are none. */
export function nearestRow(rows: readonly ChartRow[], step: number): ChartRow | undefined {
  if (rows.length === 0) return undefined;
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  const prev = rows[lo - 1];
  return prev && step - prev.step < rows[lo].step - step ? prev : rows[lo];
}
