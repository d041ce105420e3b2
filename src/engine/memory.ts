// A memory plan for one run on a device: the bytes the weights, gradients, optimiser state, activations and
// KV caches need at the run's peak, and the largest single buffer, so a run that cannot fit is refused before
// anything is allocated, with needed vs available figures. Every activation size comes from activations.ts,
// the same table model.ts and generate.ts allocate from (memory.test.ts checks the plan against a real step).
import {
  inferenceActivationFloats,
  kvCacheFloats,
  kvCacheLayerFloats,
  trainingActivationFloats,
} from './activations.ts';
import type { ModelDims } from './config.ts';
import { loraActivationFloats, type LoraLayout } from './lora.ts';

/** One generate() call: P prompts padded to promptT tokens, G samples each, contexts up to maxT. */
export interface DecodeShape {
  prompts: number;
  group: number;
  promptT: number;
  maxT: number;
}

export interface MemoryPlanInput {
  dims: ModelDims;
  paramFloats: number; // layout.total
  train: { B: number; T: number }; // the largest training batch: B sequences of T tokens
  /** Every kind of generate() call of the run (training rollouts, evaluation); the largest one counts. */
  decodes: DecodeShape[];
  reference: boolean; // a frozen reference copy (KL > 0), with its own forward activations
  /**
   * LoRA mode: the base is frozen (no gradients, no AdamW state for it), only the adapters train, and the KL
   * reference is the same model with adapters off (no second copy, no second set of activations). With a
   * half-precision base (WebGPU), `frozenBytes` is what the base occupies (lora.ts frozenBaseBytes).
   */
  lora?: { layout: LoraLayout; frozenBytes: number; largestFrozen: number };
}

export interface MemoryPlan {
  totalBytes: number;
  largest: { what: string; bytes: number };
  parts: Record<string, number>;
}

/** Floats (and ints, 4 bytes each) a generate() call holds at its peak: the runtime plus both KV caches. */
export function decodeFloats(d: ModelDims, s: DecodeShape): number {
  const R = s.prompts * s.group;
  const rt = inferenceActivationFloats(d, Math.max(s.prompts * s.promptT, R));
  // The prompts' prefill cache and the R rows' cache coexist while the prefill is shared out.
  return rt.floats + rt.ints + kvCacheFloats(d, s.prompts + R, s.maxT);
}

export function planMemory(p: MemoryPlanInput): MemoryPlan {
  const d = p.dims;
  const train = trainingActivationFloats(d, p.train.B, p.train.T);
  const trainFloats = train.floats + train.ints;
  const decodes = p.decodes.length ? p.decodes : [{ prompts: 1, group: 1, promptT: 1, maxT: 1 }];
  const worstDecode = decodes.reduce((a, b) => (decodeFloats(d, b) > decodeFloats(d, a) ? b : a));
  if (p.lora) return planLoraMemory(p, p.lora, trainFloats, worstDecode);
  const floats: Record<string, number> = {
    weights: p.paramFloats,
    gradients: p.paramFloats,
    'AdamW state': 2 * p.paramFloats,
    reference: p.reference ? p.paramFloats : 0,
    // Training activations stay allocated between steps (reused), so they coexist with sampling.
    activations: trainFloats * (p.reference ? 2 : 1),
    'sampling (KV cache, logits)': decodeFloats(d, worstDecode),
  };
  const maxRows = Math.max(...decodes.map((s) => Math.max(s.prompts * s.promptT, s.prompts * s.group)));
  const candidates: [string, number][] = [
    ['the flat weight buffer', p.paramFloats],
    ['the decode logits [rows, vocab]', maxRows * d.V],
    ['an MLP activation [tokens, intermediate]', p.train.B * p.train.T * d.F],
    ['a KV cache layer [rows, context, kv dim]', Math.max(...decodes.map((s) => kvCacheLayerFloats(d, s.prompts * s.group, s.maxT)))],
  ];
  const [what, maxFloats] = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  const parts = Object.fromEntries(Object.entries(floats).map(([k, v]) => [k, v * 4]));
  return { totalBytes: Object.values(parts).reduce((a, b) => a + b, 0), largest: { what, bytes: maxFloats * 4 }, parts };
}

function planLoraMemory(p: MemoryPlanInput, lora: NonNullable<MemoryPlanInput['lora']>, trainFloats: number, worstDecode: DecodeShape): MemoryPlan {
  const d = p.dims;
  const A = lora.layout.total;
  const N = p.train.B * p.train.T;
  const inferRows = Math.max(worstDecode.prompts * worstDecode.promptT, worstDecode.prompts * worstDecode.group);
  const adapterActs = loraActivationFloats(lora.layout, N, inferRows);
  const parts: Record<string, number> = {
    'weights (frozen base)': lora.frozenBytes,
    adapters: 4 * A,
    // the adapters' gradients, plus one [max(C, D)] sink the frozen norms' weight gradients are written into
    gradients: 4 * (A + Math.max(d.C, d.D)),
    'AdamW state': 4 * 2 * A,
    reference: 0,
    activations: 4 * (trainFloats + adapterActs.kept),
    'sampling (KV cache, logits)': 4 * (decodeFloats(d, worstDecode) + adapterActs.inference),
  };
  const maxRows = Math.max(...p.decodes.map((s) => Math.max(s.prompts * s.promptT, s.prompts * s.group)), 1);
  const candidates: [string, number][] = [
    [lora.largestFrozen === lora.frozenBytes ? 'the flat weight buffer' : 'the frozen f32 rest (embedding, norms, head)', lora.largestFrozen],
    ['the decode logits [rows, vocab]', 4 * maxRows * d.V],
    ['an MLP activation [tokens, intermediate]', 4 * N * d.F],
  ];
  const [what, bytes] = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { totalBytes: Object.values(parts).reduce((a, b) => a + b, 0), largest: { what, bytes }, parts };
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

export interface DeviceLimits {
  deviceName: string;
  /** The largest single buffer (a GPU's binding limit). */
  maxTensorBytes?: number;
  /** The memory the whole run may use (the CPU backend's budget from the machine's memory). */
  maxTotalBytes?: number;
}

const ADVICE = 'Use a smaller model, fewer prompts per step, a smaller group or fewer new tokens';

/** Throws one clear message when the plan cannot fit the device's limits. */
export function checkFits(plan: MemoryPlan, limits: DeviceLimits): void {
  if (limits.maxTensorBytes !== undefined && plan.largest.bytes > limits.maxTensorBytes) {
    throw new Error(
      `this run does not fit ${limits.deviceName}: ${plan.largest.what} needs ${formatBytes(plan.largest.bytes)} but the device allows ` +
        `${formatBytes(limits.maxTensorBytes)} per buffer (whole run: about ${formatBytes(plan.totalBytes)}). ${ADVICE}, or the CPU backend.`,
    );
  }
  if (limits.maxTotalBytes !== undefined && plan.totalBytes > limits.maxTotalBytes) {
    const biggest = Object.entries(plan.parts).reduce((a, b) => (b[1] > a[1] ? b : a));
    throw new Error(
      `this run does not fit ${limits.deviceName}: it needs about ${formatBytes(plan.totalBytes)} (most of it ${biggest[0]}, ` +
        `${formatBytes(biggest[1])}) but ${formatBytes(limits.maxTotalBytes)} is available. ${ADVICE}.`,
    );
  }
}
