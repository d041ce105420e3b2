import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../../rl/presets.ts';
import type { MetricPoint } from '../store/runs.ts';
import {
  CONFIRM_RUN_SECONDS,
  confirmReasons,
  deviceKindOf,
  estimateRun,
  formatSeconds,
  loadThroughputs,
  pickRate,
  REFERENCE_RATE,
  saveThroughput,
  throughputOfRun,
  type Throughput,
} from './start-guard.ts';

const preset = () => getPreset(DEFAULT_PRESET);
const big = (): RunConfig => {
  const c = preset();
  return parseRunConfig({ ...c, grpo: { ...c.grpo, promptsPerStep: 200, groupSize: 64 }, steps: 100_000 });
};

/** A run's train points: tokens/s and step time per step (tokens per step = their product). */
const points = (rows: [number, number][]): MetricPoint[] =>
  rows.map(([tps, t], i) => ({ step: i + 1, metrics: { tokens_per_s: tps, step_time: t, 'completions/mean_length': 5, 'completions/clipped_ratio': 0 } }));

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, length: 0 } as Storage;
}

describe('start guard: estimates before Train', () => {
  it('device kinds from the worker names', () => {
    expect(deviceKindOf('CPU (JavaScript, 2 threads)')).toBe('cpu');
    expect(deviceKindOf('WebGPU (swiftshader)')).toBe('webgpu');
    expect(deviceKindOf(null)).toBeNull();
  });

  it('a run measures its rate: medians without the first (warm-up) step; tokens per completion = tokens/s x step time / (P x G)', () => {
    // default preset: 16 prompts x G 8 = 128 completions; steps 2-4: 4000 tokens/s x 0.896 s = 3584 tokens = 28 each
    const t = throughputOfRun(preset(), points([[1000, 3], [4000, 0.896], [4000, 0.896], [5000, 0.7168]]), 'CPU (JavaScript, 2 threads)', 80_640, 42)!;
    expect(t).toMatchObject({ modelId: 'tiny-arith', kind: 'cpu', tokensPerSecond: 4000, tokensPerCompletion: 28, meanLength: 5, steps: 4, at: 42 });
    expect(throughputOfRun(preset(), [], 'CPU', null)).toBeNull();
  });

  it('default preset from the reference rate: 128 x 28 tokens / 20,000 tokens/s = 0.18 s a step, 12 s for 60 steps', () => {
    const e = estimateRun(preset(), pickRate([], 'tiny-arith', 'cpu', 80_640)!);
    expect(e.stepSeconds).toBeCloseTo((128 * 28) / 20_000, 6);
    // + 8 evaluations (every 10 of 60 steps, before and after) of 128 rows x 28 tokens at the same rate
    expect(e.runSeconds).toBeCloseTo((60 * 128 * 28 + 8 * 128 * 28) / 20_000, 6);
    expect(e.basis).toMatch(/^rough: no run on this device yet: 20,000 tokens\/s of tiny-arith/);
    expect(confirmReasons(e, null)).toEqual([]);
  });

  it('200 prompts x G 64 x 100,000 steps asks first, with the numbers and what they are based on', () => {
    const e = estimateRun(big(), pickRate([], 'tiny-arith', 'cpu', 80_640)!);
    expect(e.stepSeconds).toBeCloseTo((200 * 64 * 28) / 20_000, 6); // ~18 s a step
    expect(e.runSeconds).toBeGreaterThan(CONFIRM_RUN_SECONDS);
    const [reason] = confirmReasons(e, null);
    expect(reason).toMatch(/^This run is estimated to take about \d+\.\d days \(18 s per step; rough: no run on this device yet/);
  });

  it("a model's own measurement wins; another model's is scaled by parameter count; the newest is kept per model and kind", () => {
    const storage = memoryStorage();
    const measured = (modelId: string, tps: number, params: number, at: number): Throughput => ({ ...REFERENCE_RATE, modelId, device: 'CPU (2 threads)', tokensPerSecond: tps, params, at });
    saveThroughput(measured('tiny-arith', 3000, 80_640, 1), storage);
    saveThroughput(measured('tiny-arith', 6000, 80_640, 2), storage);
    expect(loadThroughputs(storage).map((t) => t.tokensPerSecond)).toEqual([6000]);
    const own = pickRate(loadThroughputs(storage), 'tiny-arith', 'cpu', 80_640)!;
    expect(own.scale).toBe(1);
    expect(own.basis).toBe('measured: 6,000 tokens/s over 10 steps of an earlier run of this model on CPU (2 threads)');
    const scaled = pickRate(loadThroughputs(storage), 'hf:HuggingFaceTB/SmolLM2-135M', 'cpu', 134_515_008)!;
    expect(scaled.scale).toBeCloseTo(80_640 / 134_515_008, 12);
    expect(scaled.basis).toMatch(/^scaled by parameter count from tiny-arith's 6,000 tokens\/s/);
    // nothing on WebGPU yet: the CPU reference, said so
    // a Hub model of unknown size never run here: no estimate rather than tiny-arith's rate
    expect(pickRate(loadThroughputs(storage), 'hf:HuggingFaceTB/SmolLM2-135M', 'cpu', null)).toBeNull();
    expect(pickRate(loadThroughputs(storage), 'tiny-arith', 'webgpu', 80_640)!.basis).toMatch(/no run on WebGPU yet, so the CPU reference \(a GPU is usually faster\)/);
  });

  it('longer completions cost more only where completions hit the limit', () => {
    const c = preset();
    const longer = parseRunConfig({ ...c, sampling: { ...c.sampling, maxNewTokens: 64 } });
    const stops = pickRate([], 'tiny-arith', 'cpu', 80_640)!; // clipped ratio 0: the model stops by itself
    expect(estimateRun(longer, stops).stepSeconds).toBeCloseTo(estimateRun(c, stops).stepSeconds, 9);
    const clipped = { ...stops, rate: { ...stops.rate, clippedRatio: 1, meanLength: 16 } };
    // every completion hit 16: at 64 each is 64 long (prompt 12 + 64 = 76 tokens instead of 28)
    expect(estimateRun(longer, clipped).stepSeconds / estimateRun(c, clipped).stepSeconds).toBeCloseTo(76 / 28, 9);
  });

  it('a plan that does not fit asks first', () => {
    expect(confirmReasons(null, { bytes: 5 * 2 ** 30, fits: false, reason: 'needs 5.00 GiB; the CPU backend has about 2.00 GiB for it', device: 'the CPU backend' })).toEqual([
      'The memory plan does not fit the CPU backend: needs 5.00 GiB; the CPU backend has about 2.00 GiB for it. The run will most likely be refused or fail.',
    ]);
  });

  it('formats durations', () => {
    expect([0.5, 12, 200, 7500, 3 * 86400].map(formatSeconds)).toEqual(['0.50 s', '12 s', '3 min 20 s', '2 h 5 min', '3.0 days']);
  });

  it('an unreadable store reads as empty', () => {
    expect(loadThroughputs({ getItem: () => '{not json' })).toEqual([]);
    expect(loadThroughputs(undefined)).toEqual([]);
  });
});
