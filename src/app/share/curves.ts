// Curve summaries for share links (`#...&curves=...`): a downsampled copy of a run's curves (train reward and
// per-criterion means, eval accuracy and reward), at most MAX_SHARED_POINTS points per series, values rounded
// to 3 significant digits, versioned and lz-string compressed. The recipient sees them as a reference run.
// Decoding is as careful as the config's: a bad curves part throws CurveSummaryError and loses only the curves.
import LZString from 'lz-string';
import { versionProblem } from '../../rl/config/share.ts';

export const CURVES_PARAM = 'curves';
export const CURVES_VERSION = 1;
/** Points kept per series when sharing (enough for the shape of a curve, small enough for a URL). */
export const MAX_SHARED_POINTS = 60;
/** Refused before decompression. */
export const MAX_CURVES_PAYLOAD = 32 * 1024;
/** Limits on what a link may hold (looser than what we write, so small format changes still open). */
const MAX_READ_POINTS = 500;
const MAX_SERIES = 40;
const METRIC_KEY = /^[A-Za-z0-9_.\-/]{1,100}$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A downsampled copy of a shared run's curves, shown as a reference run the recipient can replay against. */
export interface CurveSummary {
  name?: string;
  /** Train metrics per kept step (a few keys: reward, rewards/<criterion>/mean). */
  train: { step: number; metrics: Record<string, number> }[];
  /** Eval metrics per kept step (eval/accuracy, eval/reward). */
  evals: { step: number; metrics: Record<string, number> }[];
}
type Point = CurveSummary['train'][number];

export class CurveSummaryError extends Error {
  override name = 'CurveSummaryError';
}

/** Which metrics a summary keeps. */
export const isSharedTrainMetric = (key: string): boolean => key === 'reward' || /^rewards\/.+\/mean$/.test(key);
export const isSharedEvalMetric = (key: string): boolean => key === 'eval/accuracy' || key === 'eval/reward';

/** x rounded to 3 significant digits (0 stays 0). */
export function round3(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(3));
}

/** At most `max` items, evenly spread, always keeping the first and the last. */
export function downsample<T>(items: readonly T[], max = MAX_SHARED_POINTS): T[] {
  if (items.length <= max) return [...items];
  if (max <= 1) return items.slice(-1);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]);
  return out;
}

function summarizeSeries(points: readonly Point[], keep: (key: string) => boolean, max: number): Point[] {
  return downsample(points, max)
    .map((p) => {
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(p.metrics)) if (keep(k) && Number.isFinite(v)) metrics[k] = round3(v);
      return { step: p.step, metrics };
    })
    .filter((p) => Object.keys(p.metrics).length > 0);
}

/** The summary of a run's series (as the store keeps them) to put in a share link. */
export function summarizeCurves(train: readonly Point[], evals: readonly Point[], name?: string, max = MAX_SHARED_POINTS): CurveSummary {
  return {
    ...(name ? { name } : {}),
    train: summarizeSeries(train, isSharedTrainMetric, max),
    evals: summarizeSeries(evals, isSharedEvalMetric, max),
  };
}

export const hasCurves = (s: CurveSummary | null | undefined): s is CurveSummary => !!s && (s.train.length > 0 || s.evals.length > 0);

// ---- wire format: columns, so each key is written once -------------------------------------------------

interface WireSeries {
  step: number[];
  /** One column per metric, aligned with `step`; null where that step lacks the metric. */
  series: Record<string, (number | null)[]>;
}
interface WireSummary {
  v: number;
  name?: string;
  train: WireSeries;
  evals: WireSeries;
}

function toWire(points: readonly Point[]): WireSeries {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.metrics)))];
  const series: Record<string, (number | null)[]> = {};
  for (const k of keys) series[k] = points.map((p) => (Object.hasOwn(p.metrics, k) ? p.metrics[k] : null));
  return { step: points.map((p) => p.step), series };
}

/** The `curves` hash param's value. */
export function encodeCurves(summary: CurveSummary): string {
  const wire: WireSummary = { v: CURVES_VERSION, ...(summary.name ? { name: summary.name } : {}), train: toWire(summary.train), evals: toWire(summary.evals) };
  return LZString.compressToEncodedURIComponent(JSON.stringify(wire));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fromWire(value: unknown, where: string): Point[] {
  if (!isObject(value)) throw new CurveSummaryError(`${where} must be an object`);
  const { step, series } = value;
  if (!Array.isArray(step) || step.length > MAX_READ_POINTS) throw new CurveSummaryError(`${where}.step must be a list of at most ${MAX_READ_POINTS} steps`);
  step.forEach((s, i) => {
    if (!Number.isInteger(s) || (s as number) < 0) throw new CurveSummaryError(`${where}.step[${i}] must be a step number`);
    if (i > 0 && (s as number) < step[i - 1]) throw new CurveSummaryError(`${where}.step must be in increasing order`);
  });
  if (!isObject(series)) throw new CurveSummaryError(`${where}.series must be an object`);
  const keys = Object.keys(series);
  if (keys.length > MAX_SERIES) throw new CurveSummaryError(`${where} has ${keys.length} series (at most ${MAX_SERIES})`);
  const points: Point[] = step.map((s: number) => ({ step: s, metrics: {} }));
  for (const key of keys) {
    if (!METRIC_KEY.test(key) || FORBIDDEN_KEYS.has(key)) throw new CurveSummaryError(`${where} has a bad metric name`);
    const column = series[key];
    if (!Array.isArray(column) || column.length !== step.length) throw new CurveSummaryError(`${where}.series['${key}'] must have one value per step`);
    column.forEach((v, i) => {
      if (v === null) return;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new CurveSummaryError(`${where}.series['${key}'][${i}] must be a number`);
      points[i].metrics[key] = v;
    });
  }
  return points.filter((p) => Object.keys(p.metrics).length > 0);
}

/** Parse a `curves` hash param's value. Throws CurveSummaryError with one clear message. */
export function decodeCurves(payload: string): CurveSummary {
  if (payload.length > MAX_CURVES_PAYLOAD) {
    throw new CurveSummaryError(`curve summary too long (${payload.length} characters, the limit is ${MAX_CURVES_PAYLOAD})`);
  }
  const json = payload ? LZString.decompressFromEncodedURIComponent(payload) : '';
  if (!json) throw new CurveSummaryError('curve summary is corrupted: it could not be decompressed');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new CurveSummaryError('curve summary is corrupted: it is not valid JSON');
  }
  if (!isObject(raw)) throw new CurveSummaryError('curve summary is corrupted: it is not an object');
  const problem = versionProblem(raw.v, 'curve summary', CURVES_VERSION);
  if (problem) throw new CurveSummaryError(problem);
  if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name.length > 200)) {
    throw new CurveSummaryError('curve summary name must be a string of at most 200 characters');
  }
  return { ...(raw.name ? { name: raw.name as string } : {}), train: fromWire(raw.train, 'train'), evals: fromWire(raw.evals, 'evals') };
}
