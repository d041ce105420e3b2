import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import {
  CurveSummaryError,
  decodeCurves,
  downsample,
  encodeCurves,
  MAX_CURVES_PAYLOAD,
  MAX_SHARED_POINTS,
  round3,
  summarizeCurves,
  type CurveSummary,
} from './curves.ts';

const pack = (wire: unknown) => LZString.compressToEncodedURIComponent(JSON.stringify(wire));

function errorOf(payload: string): string {
  try {
    decodeCurves(payload);
  } catch (e) {
    expect(e).toBeInstanceOf(CurveSummaryError);
    return (e as Error).message;
  }
  throw new Error('expected decodeCurves to throw');
}

/** A run of n steps as the store keeps it (more metrics than a summary shares). */
function run(n: number) {
  const train = Array.from({ length: n }, (_, i) => ({
    step: i + 1,
    metrics: { reward: Math.sin(i) / 3 + 0.123456, 'rewards/correct_answer/mean': i / n, 'rewards/xml_format/mean': 0.5, loss: 1.5, kl: 0.01 },
  }));
  const evals = [0, Math.floor(n / 2), n].map((step) => ({ step, metrics: { 'eval/accuracy': step / (n + 7), 'eval/reward': 0.3333333, 'eval/x': 1 } }));
  return { train, evals };
}

describe('downsample and round3', () => {
  it('keeps at most max points, evenly spread, with the first and the last', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const d = downsample(xs, 60);
    expect(d).toHaveLength(60);
    expect(d[0]).toBe(0);
    expect(d.at(-1)).toBe(999);
    expect(new Set(d).size).toBe(60);
    expect(downsample([1, 2, 3], 60)).toEqual([1, 2, 3]);
  });

  it('rounds to 3 significant digits', () => {
    expect(round3(0.123456)).toBe(0.123);
    expect(round3(123456)).toBe(123000);
    expect(round3(-0.00098765)).toBe(-0.000988);
    expect(round3(0)).toBe(0);
  });
});

describe('summarizeCurves', () => {
  it('keeps reward, per-criterion means and eval accuracy/reward, downsampled and rounded', () => {
    const { train, evals } = run(500);
    const s = summarizeCurves(train, evals, 'demo');
    expect(s.name).toBe('demo');
    expect(s.train).toHaveLength(MAX_SHARED_POINTS);
    expect(s.train[0].step).toBe(1);
    expect(s.train.at(-1)!.step).toBe(500);
    expect(Object.keys(s.train[0].metrics).sort()).toEqual(['reward', 'rewards/correct_answer/mean', 'rewards/xml_format/mean']);
    expect(s.train[0].metrics.reward).toBe(0.123);
    expect(s.evals.map((p) => p.step)).toEqual([0, 250, 500]);
    expect(Object.keys(s.evals[0].metrics).sort()).toEqual(['eval/accuracy', 'eval/reward']);
    expect(s.evals[0].metrics['eval/reward']).toBe(0.333);
  });

  it('is empty for a run without data', () => {
    expect(summarizeCurves([], [])).toEqual({ train: [], evals: [] });
  });
});

describe('curve summary codec', () => {
  it('round-trips a summary exactly (values already rounded)', () => {
    const { train, evals } = run(300);
    const s = summarizeCurves(train, evals, 'lr 5e-3');
    expect(decodeCurves(encodeCurves(s))).toEqual(s);
  });

  it('keeps steps that lack a metric (null in the column) and drops nothing else', () => {
    const s: CurveSummary = { train: [{ step: 1, metrics: { reward: 0.5 } }, { step: 2, metrics: { 'rewards/a/mean': 1 } }], evals: [] };
    expect(decodeCurves(encodeCurves(s))).toEqual(s);
  });

  it('a 500-step run fits in a link comfortably', () => {
    const { train, evals } = run(500);
    expect(encodeCurves(summarizeCurves(train, evals)).length).toBeLessThan(3000);
  });

  it('says a summary from another version was made by a newer/older version', () => {
    expect(errorOf(pack({ v: 2, train: { step: [], series: {} }, evals: { step: [], series: {} } }))).toMatch(/made by a newer version/);
    expect(errorOf(pack({ v: 0, train: { step: [], series: {} }, evals: { step: [], series: {} } }))).toMatch(/made by an older version/);
    expect(errorOf(pack({ train: {}, evals: {} }))).toMatch(/no valid format version/);
  });

  it('refuses corrupted, oversized and malformed summaries with one message', () => {
    const ok = { step: [1, 2], series: { reward: [0.1, 0.2] } };
    const empty = { step: [], series: {} };
    expect(errorOf('')).toMatch(/corrupted/);
    expect(errorOf('%%%')).toMatch(/corrupted/);
    expect(errorOf(LZString.compressToEncodedURIComponent('{nope'))).toMatch(/not valid JSON/);
    expect(errorOf('A'.repeat(MAX_CURVES_PAYLOAD + 1))).toMatch(/too long/);
    expect(errorOf(pack({ v: 1, train: ok, evals: 3 }))).toMatch(/^evals must be an object/);
    expect(errorOf(pack({ v: 1, train: { step: [1, 2], series: { reward: [0.1] } }, evals: empty }))).toMatch(/one value per step/);
    expect(errorOf(pack({ v: 1, train: { step: [1, 2], series: { reward: [0.1, 'x'] } }, evals: empty }))).toMatch(/must be a number/);
    expect(errorOf(pack({ v: 1, train: { step: [2, 1], series: {} }, evals: empty }))).toMatch(/increasing/);
    expect(errorOf(pack({ v: 1, train: { step: [1.5], series: {} }, evals: empty }))).toMatch(/step number/);
    expect(errorOf(pack({ v: 1, train: { step: new Array(501).fill(1), series: {} }, evals: empty }))).toMatch(/at most 500/);
    expect(errorOf(pack({ v: 1, name: 5, train: ok, evals: empty }))).toMatch(/name/);
    // A metric name that would reach Object.prototype when assigned.
    // (Written as raw JSON: JSON.stringify of an object literal would not keep a __proto__ key.)
    const protoKey = '{"v":1,"train":{"step":[1],"series":{"__proto__":[1]}},"evals":{"step":[],"series":{}}}';
    expect(errorOf(LZString.compressToEncodedURIComponent(protoKey))).toMatch(/bad metric name/);
    expect(errorOf(pack({ v: 1, train: { step: [1], series: { 'a b': [1] } }, evals: empty }))).toMatch(/bad metric name/);
  });
});
