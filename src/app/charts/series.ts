// Chart data as pure functions: a metric's series from a run's points, and the rows + line list one chart
// draws for several runs (raw and EMA-smoothed train series, eval series), merged by step.
import type { MetricPoint, RunRecord } from '../store/runs.ts';
import type { ChartSpec, LineSpec } from './chart-specs.ts';
import { emaSmooth } from './ema.ts';

export interface SeriesPoint {
  step: number;
  value: number;
}

/** The finite values of one metric, in step order. */
export function metricSeries(points: readonly MetricPoint[], key: string): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (const p of points) {
    const value = p.metrics[key];
    if (Number.isFinite(value)) out.push({ step: p.step, value });
  }
  return out;
}

/** One line a chart draws; `dataKey` names its column in the rows. */
export interface DrawnLine {
  dataKey: string;
  runId: string;
  runName: string;
  color: string;
  label: string;
  /** raw: a train series under smoothing (faint); smooth: the smoothed one (or the raw one at weight 0); eval: dots. */
  role: 'raw' | 'smooth' | 'eval';
  /** SVG dash pattern: the reference run's lines are dashed, secondary metrics have their own pattern. */
  dash?: string;
  reference: boolean;
}

export type ChartRow = { step: number } & Record<string, number>;

export interface ChartData {
  rows: ChartRow[];
  lines: DrawnLine[];
  /** Largest step drawn (for the x domain). */
  maxStep: number;
  /** The y range to draw (padded when the series are flat), or null with no data. */
  yDomain: [number, number] | null;
}

const REFERENCE_DASH = '6 4';

/**
 * Rows (one per step present in any series) and lines for one chart over several runs. Train series get a
 * smoothed line (drawn on top) and, when smoothing is on, a faint raw line behind it.
 */
export function buildChartData(spec: ChartSpec, runs: readonly RunRecord[], smoothing: number): ChartData {
  const rows = new Map<number, ChartRow>();
  const lines: DrawnLine[] = [];
  const put = (dataKey: string, series: SeriesPoint[], values: number[]) => {
    series.forEach((p, i) => {
      let row = rows.get(p.step);
      if (!row) rows.set(p.step, (row = { step: p.step } as ChartRow));
      row[dataKey] = values[i];
    });
  };
  runs.forEach((run, r) => {
    spec.lines.forEach((line: LineSpec, l) => {
      const series = metricSeries(line.source === 'train' ? run.train : run.evals, line.key);
      if (series.length === 0) return;
      const base = { runId: run.id, runName: run.name, color: run.color, label: line.label, reference: run.reference };
      const dash = run.reference ? REFERENCE_DASH : line.dash;
      const key = `r${r}l${l}`;
      if (line.source === 'eval') {
        lines.push({ ...base, dataKey: key, role: 'eval', dash });
        put(key, series, series.map((p) => p.value));
        return;
      }
      const raw = series.map((p) => p.value);
      if (smoothing > 0) {
        lines.push({ ...base, dataKey: `${key}raw`, role: 'raw', dash });
        put(`${key}raw`, series, raw);
      }
      lines.push({ ...base, dataKey: key, role: 'smooth', dash });
      put(key, series, emaSmooth(raw, smoothing));
    });
  });
  const sorted = [...rows.values()].sort((a, b) => a.step - b.step);
  return { rows: sorted, lines, maxStep: sorted.at(-1)?.step ?? 0, yDomain: yDomain(sorted, lines) };
}

/**
 * The y range of the drawn values. A flat series (a constant learning rate, an all-zero clip ratio) gets a
 * range around its value: ticks cannot be placed on an empty range.
 */
export function yDomain(rows: readonly ChartRow[], lines: readonly DrawnLine[]): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const row of rows) {
    for (const l of lines) {
      const v = row[l.dataKey];
      if (v === undefined || !Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (min > max) return null;
  if (max - min > Math.max(Math.abs(max), Math.abs(min)) * 1e-6) return [min, max];
  const pad = Math.abs(max) * 0.1 || 1;
  return [min - pad, max + pad];
}

/** Train points drawn for one run in one chart (the e2e tests read this from the reward chart). */
export function pointsDrawn(spec: ChartSpec, run: RunRecord | null): number {
  if (!run) return 0;
  const line = spec.lines.find((l) => l.source === 'train') ?? spec.lines[0];
  return metricSeries(line.source === 'train' ? run.train : run.evals, line.key).length;
}

/**
 * Round y ticks (steps of 1, 2, 2.5 or 5 times a power of ten) covering [lo, hi], about `count` of them.
 * Values are rounded to 12 significant digits so float noise never makes two ticks differ or look odd.
 */
export function niceTicks([lo, hi]: [number, number], count = 5): number[] {
  const raw = (hi - lo) / Math.max(1, count - 1);
  if (!(raw > 0) || !Number.isFinite(raw)) return [lo, hi];
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * magnitude;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

/** An axis tick label: like formatValue but shorter in exponent form ("5e-4", "1.5e-4"). */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return Number(v.toPrecision(2)).toExponential();
  return formatValue(v);
}

/**
 * Labels for a set of axis ticks: as short as formatTick, with more digits when that would make two labels
 * read alike ("1, 1, 1, 0.999" becomes "0.997, 0.998, 0.999, 1").
 */
export function formatTicks(ticks: readonly number[]): string[] {
  let labels = ticks.map(formatTick);
  for (let digits = 4; new Set(labels).size < labels.length && digits <= 12; digits++) {
    labels = ticks.map((v) => (v === 0 ? '0' : Number(v.toPrecision(digits)).toString()));
  }
  return labels;
}

/** A short number: 3 significant digits, exponent form for very small or large magnitudes. */
export function formatValue(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  if (a >= 1000) return Math.round(v).toString();
  return Number(v.toPrecision(3)).toString();
}

/**
 * The accessible summary of a chart for one run: "Reward: last 0.53, min 0.1, max 0.6 over 12 steps".
 * Uses the first metric of the chart the run has.
 */
export function chartSummary(spec: ChartSpec, run: RunRecord | null): string {
  for (const line of spec.lines) {
    const series = run ? metricSeries(line.source === 'train' ? run.train : run.evals, line.key) : [];
    if (series.length === 0) continue;
    const values = series.map((p) => p.value);
    const what = spec.lines.length > 1 ? `${spec.title} (${line.label})` : spec.title;
    const span = line.source === 'eval' ? `${series.length} evaluations` : `${series.length} points`;
    return `${what}: last ${formatValue(values.at(-1))}, min ${formatValue(Math.min(...values))}, max ${formatValue(Math.max(...values))} over ${span}`;
  }
  return `${spec.title}: no data yet`;
}

/** Round x-axis ticks (0, 5, 10, ... or 0, 20, 40, ...): at most about six over [0, total]. */
export function stepTicks(total: number): number[] {
  const raw = Math.max(total, 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const stride = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw && Number.isInteger(s)) ?? Math.ceil(raw);
  const ticks: number[] = [];
  for (let t = 0; t <= total; t += stride) ticks.push(t);
  return ticks;
}
