// What a run will cost, said before Train: time per step and for the whole run from a measured rate (tokens/s of
// an earlier run of this model on this kind of device, kept in localStorage; else scaled from another model's by
// parameter count; else a reference rate measured in this project), and memory from the exact plan
// (rl/plan-verdict.ts). Above CONFIRM_RUN_SECONDS, or when the plan does not fit, Train asks first. Pure
// functions, plus the small localStorage store of rates.
import type { RunConfig } from '../../rl/config/schema.ts';
import { METRIC } from '../../rl/metrics.ts';
import type { MetricPoint } from '../store/runs.ts';

/** A run estimated to take longer than this (seconds) asks for confirmation. */
export const CONFIRM_RUN_SECONDS = 10 * 60;

export type DeviceKind = 'cpu' | 'webgpu';

/** A measured training rate: what one run of one model did on one device. */
export interface Throughput {
  modelId: string;
  kind: DeviceKind;
  /** The device's name as the worker gave it ("CPU (JavaScript, 1 thread)"). */
  device: string;
  /** Median over the run's steps (the first, which warms up, left out when there are more). */
  tokensPerSecond: number;
  /** Prompt plus completion tokens per completion, median over steps. */
  tokensPerCompletion: number;
  /** completions/mean_length and completions/clipped_ratio, medians, with the maxNewTokens they were sampled at. */
  meanLength: number;
  clippedRatio: number;
  maxNewTokens: number;
  /** Parameter count of the model, when known (to scale the rate to another model). */
  params: number | null;
  steps: number;
  /** Date.now() of the measurement. */
  at: number;
}

/**
 * The rate used before any run on a device: tiny-arith (80,640 parameters) on the default preset, CPU backend
 * (wasm kernels) with 2 threads, in Node on this project's 2-core machine: median 20,700 tokens/s over steps 2-12
 * at load ~13 (1 thread: 17,300; at load ~22 it was 4,400), 28 tokens per completion of which 4.8 generated.
 */
export const REFERENCE_RATE: Omit<Throughput, 'at'> = {
  modelId: 'tiny-arith',
  kind: 'cpu',
  device: 'the CPU backend of a 2-core machine (reference)',
  tokensPerSecond: 20_000,
  tokensPerCompletion: 28,
  meanLength: 4.8,
  clippedRatio: 0,
  maxNewTokens: 16,
  params: 80_640,
  steps: 10,
};

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** "CPU (...)" -> cpu, "WebGPU (...)" -> webgpu, as the worker names devices; null for anything else. */
export function deviceKindOf(device: string | null): DeviceKind | null {
  if (!device) return null;
  if (/^webgpu/i.test(device)) return 'webgpu';
  if (/^cpu/i.test(device)) return 'cpu';
  return null;
}

/** The rate a run's training steps show, or null before it has a step with tokens/s. */
export function throughputOfRun(config: RunConfig, train: readonly MetricPoint[], device: string, params: number | null, now = Date.now()): Throughput | null {
  const kind = deviceKindOf(device);
  const steps = train.filter((p) => (p.metrics[METRIC.tokensPerS] ?? 0) > 0 && (p.metrics[METRIC.stepTime] ?? 0) > 0);
  if (!kind || steps.length === 0) return null;
  const use = steps.length > 1 ? steps.slice(1) : steps;
  const B = config.grpo.promptsPerStep * config.grpo.groupSize;
  const m = (key: string) => median(use.map((p) => p.metrics[key]));
  return {
    modelId: config.model.id,
    kind,
    device,
    tokensPerSecond: m(METRIC.tokensPerS),
    tokensPerCompletion: median(use.map((p) => (p.metrics[METRIC.tokensPerS] * p.metrics[METRIC.stepTime]) / B)),
    meanLength: m(METRIC.completionsMeanLength) || 1,
    clippedRatio: m(METRIC.completionsClippedRatio) || 0,
    maxNewTokens: config.sampling.maxNewTokens,
    params,
    steps: steps.length,
    at: now,
  };
}

export interface RunEstimate {
  stepSeconds: number;
  /** All steps plus the evaluations (counted at the training rate: an overestimate). */
  runSeconds: number;
  /** What the figures are based on, in words. */
  basis: string;
}

/**
 * The best rate for `modelId` on `kind` among `known`: its own measurement, else another model's on the same kind
 * scaled by parameter count (when both counts are known), else the reference rate (scaled the same way). Null
 * when none applies: a model of unknown size (a Hub model, whose plan the page does not read here) never run here.
 */
export function pickRate(known: readonly Throughput[], modelId: string, kind: DeviceKind, params: number | null): PickedRate | null {
  const same = known.filter((t) => t.modelId === modelId && t.kind === kind).sort((a, b) => b.at - a.at)[0];
  if (same) return { rate: same, scale: 1, basis: `measured: ${Math.round(same.tokensPerSecond).toLocaleString('en-US')} tokens/s over ${same.steps} step${same.steps === 1 ? '' : 's'} of an earlier run of this model on ${same.device}` };
  const other = params ? known.filter((t) => t.kind === kind && t.params).sort((a, b) => b.at - a.at)[0] : undefined;
  if (other && params) {
    return {
      rate: other,
      scale: other.params! / params,
      basis: `scaled by parameter count from ${other.modelId}'s ${Math.round(other.tokensPerSecond).toLocaleString('en-US')} tokens/s measured on ${other.device} (no run of this model there yet)`,
    };
  }
  if (!params && modelId !== REFERENCE_RATE.modelId) return null;
  const scale = params ? REFERENCE_RATE.params! / params : 1;
  const where = kind === 'webgpu' ? 'no run on WebGPU yet, so the CPU reference (a GPU is usually faster)' : 'no run on this device yet';
  return {
    rate: REFERENCE_RATE,
    scale,
    basis: `rough: ${where}: ${REFERENCE_RATE.tokensPerSecond.toLocaleString('en-US')} tokens/s of ${REFERENCE_RATE.modelId} on a 2-core machine's CPU backend${params && scale !== 1 ? ', scaled by parameter count' : ''}; the first steps of a run measure it here`,
  };
}

export interface PickedRate {
  rate: Omit<Throughput, 'at'>;
  /** Multiplies the rate's tokens/s (the ratio of parameter counts when it is another model's). */
  scale: number;
  basis: string;
}

/** Time per step and for the run, from a rate: tokens per step scale with prompts x G and the completion length. */
export function estimateRun(config: RunConfig, picked: PickedRate): RunEstimate {
  const { rate, scale, basis } = picked;
  const tps = rate.tokensPerSecond * scale;
  const prompt = Math.max(1, rate.tokensPerCompletion - rate.meanLength);
  // Completions that hit the limit grow with it; the others end where they end.
  const length = (maxNew: number) => Math.min(maxNew, Math.max(1, rate.meanLength + rate.clippedRatio * (maxNew - rate.maxNewTokens)));
  const stepTokens = config.grpo.promptsPerStep * config.grpo.groupSize * (prompt + length(config.sampling.maxNewTokens));
  const stepSeconds = stepTokens / tps;
  const evals = (config.eval.every > 0 ? Math.floor(config.steps / config.eval.every) : 0) + 2;
  const evalRows = config.task.evalSize * (config.eval.passAtK ? 1 + config.grpo.groupSize : 1);
  const evalSeconds = (evals * evalRows * (prompt + length(config.eval.maxNewTokens))) / tps;
  return { stepSeconds, runSeconds: config.steps * stepSeconds + evalSeconds, basis };
}

/** "0.42 s", "12 s", "3 min 20 s", "2 h 5 min", "3.5 days". */
export function formatSeconds(s: number): string {
  if (s < 1) return `${s.toFixed(2)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${Math.round(s % 60) ? ` ${Math.round(s % 60)} s` : ''}`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h${Math.round((s % 3600) / 60) ? ` ${Math.round((s % 3600) / 60)} min` : ''}`;
  return `${(s / 86400).toFixed(1)} days`;
}

/** The memory side of the guard: the plan's total for the mode the run uses, on the device that would train. */
export interface MemoryEstimate {
  bytes: number;
  fits: boolean;
  /** The plan verdict's sentence ("needs 0.01 GiB in all, ..." or why it does not fit). */
  reason: string;
  device: string;
}

/** Why Train should ask before starting (empty: start at once). */
export function confirmReasons(estimate: RunEstimate | null, memory: MemoryEstimate | null): string[] {
  const out: string[] = [];
  if (estimate && estimate.runSeconds > CONFIRM_RUN_SECONDS) {
    out.push(`This run is estimated to take about ${formatSeconds(estimate.runSeconds)} (${formatSeconds(estimate.stepSeconds)} per step; ${estimate.basis}).`);
  }
  if (memory && !memory.fits) out.push(`The memory plan does not fit ${memory.device}: ${memory.reason}. The run will most likely be refused or fail.`);
  return out;
}

// ---- the stored rates ---------------------------------------------------------------------------------------

const STORAGE_KEY = 'grpo-playground.throughput.v1';

/** The rates measured on this browser, newest per model and device kind (an unreadable store reads as empty). */
export function loadThroughputs(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Throughput[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((t): t is Throughput => typeof t?.tokensPerSecond === 'number' && t.tokensPerSecond > 0) : [];
  } catch {
    return [];
  }
}

/** Keep `t` as the rate of its model and device kind (at most 20 kept, newest first). */
export function saveThroughput(t: Throughput, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): void {
  if (!storage || !(t.tokensPerSecond > 0)) return;
  const kept = loadThroughputs(storage).filter((x) => !(x.modelId === t.modelId && x.kind === t.kind));
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify([t, ...kept].slice(0, 20)));
  } catch {
    // storage full or refused: the next estimate falls back to the reference rate
  }
}
