// A memory plan for one run on a device: the bytes the weights, gradients, optimiser state, activations and
// KV caches need at the run's peak, and the largest single buffer, so a run that cannot fit is refused before
// anything is allocated, with needed vs available figures. Every activation size comes from activations.ts,
// the same table model.ts and generate.ts allocate from (memory.test.ts checks the plan against a real step).
import { blockBufferSizes, inferenceExtraSizes, kvCacheLayerFloats, trainingExtraSizes } from './activations.ts';
import type { ModelDims } from './config.ts';
import type { LoraLayout } from './lora.ts';

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
   * half-precision base (WebGPU), `frozenBuffers` lists the bytes of each buffer the base occupies (lora.ts frozenBaseBuffers).
   */
  lora?: { layout: LoraLayout; frozenBuffers: number[] };
}

export interface MemoryPlan {
  totalBytes: number;
  largest: { what: string; bytes: number };
  parts: Record<string, number>;
}

/**
 * How a device holds tensors, when it differs from exact bytes: WebGPU rounds each buffer up to its pool's bucket
 * and keeps kernel scratch (webgpu/plan.ts webgpuPlanDevice). Default: exact bytes, no scratch (the CPU).
 */
export interface MemoryPlanDevice {
  bufferBytes: (bytes: number) => number;
  scratchBytes: number;
}

const EXACT: MemoryPlanDevice = { bufferBytes: (b) => b, scratchBytes: 0 };

const positive = (xs: number[]) => xs.filter((n) => n > 0);

/** Floats of every buffer a training forward + backward over B x T keeps (all layers), ints counted as floats. */
export function trainingBuffers(d: ModelDims, B: number, T: number): number[] {
  const N = B * T;
  const block = positive(Object.values(blockBufferSizes(d, N)));
  const extra = trainingExtraSizes(d, N);
  return [...Array.from({ length: d.L }, () => block).flat(), ...positive(Object.values(extra.floats)), ...positive(Object.values(extra.ints))];
}

/** Floats of every buffer a generate() call holds at its peak: the runtime, and both KV caches (per layer). */
export function decodeBuffers(d: ModelDims, s: DecodeShape): number[] {
  const R = s.prompts * s.group;
  const maxN = Math.max(s.prompts * s.promptT, R);
  const extra = inferenceExtraSizes(d, maxN, R);
  const runtime = [...positive(Object.values(blockBufferSizes(d, maxN))), ...positive(Object.values(extra.floats)), ...positive(Object.values(extra.ints))];
  // The prompts' prefill cache and the R rows' cache coexist while the prefill is shared out.
  const caches = [s.prompts, R].flatMap((rows) => Array.from({ length: 2 * d.L }, () => kvCacheLayerFloats(d, rows, s.maxT)));
  return [...runtime, ...caches];
}

/** Floats (and ints, 4 bytes each) a generate() call holds at its peak: the runtime plus both KV caches. */
export function decodeFloats(d: ModelDims, s: DecodeShape): number {
  return decodeBuffers(d, s).reduce((a, b) => a + b, 0);
}

export function planMemory(p: MemoryPlanInput, device: MemoryPlanDevice = EXACT): MemoryPlan {
  const d = p.dims;
  const bytes = (floats: number[]) => floats.reduce((s, n) => s + device.bufferBytes(4 * n), 0);
  const train = trainingBuffers(d, p.train.B, p.train.T);
  const decodes = p.decodes.length ? p.decodes : [{ prompts: 1, group: 1, promptT: 1, maxT: 1 }];
  const decodeBytes = (s: DecodeShape) => bytes(decodeBuffers(d, s));
  const worstDecode = decodes.reduce((a, b) => (decodeBytes(b) > decodeBytes(a) ? b : a));
  const maxRows = Math.max(...decodes.map((s) => s.prompts * s.group)); // the logits hold the sampled rows only
  let parts: Record<string, number>;
  let candidates: [string, number][];
  if (p.lora) {
    const lora = p.lora;
    const A = lora.layout.total;
    const N = p.train.B * p.train.T;
    const r = lora.layout.options.rank;
    const inferRows = Math.max(worstDecode.prompts * worstDecode.promptT, worstDecode.prompts * worstDecode.group);
    parts = {
      'weights (frozen base)': lora.frozenBuffers.reduce((s, b) => s + device.bufferBytes(b), 0),
      adapters: bytes([A]),
      // the adapters' gradients, plus one [max(C, D)] sink the frozen norms' weight gradients are written into
      gradients: bytes([A, Math.max(d.C, d.D)]),
      'AdamW state': bytes([A, A]),
      reference: 0, // the same model with adapters off
      // u[N,r] kept per adapted projection, and du (lora.ts LoraAdapters)
      activations: bytes(train) + bytes([...lora.layout.entries.map(() => N * r), N * r]),
      'sampling (KV cache, logits)': decodeBytes(worstDecode) + bytes([inferRows * r]),
    };
    candidates = [
      [lora.frozenBuffers.length === 1 ? 'the flat weight buffer' : 'the frozen f32 rest (embedding, norms, head)', Math.max(...lora.frozenBuffers)],
      ['the decode logits [rows, vocab]', 4 * maxRows * d.V],
      ['an MLP activation [tokens, intermediate]', 4 * N * d.F],
    ];
  } else {
    parts = {
      weights: bytes([p.paramFloats]),
      gradients: bytes([p.paramFloats]),
      'AdamW state': bytes([p.paramFloats, p.paramFloats]),
      reference: p.reference ? bytes([p.paramFloats]) : 0,
      // Training activations stay allocated between steps (reused), so they coexist with sampling.
      activations: bytes(train) * (p.reference ? 2 : 1),
      'sampling (KV cache, logits)': decodeBytes(worstDecode),
    };
    candidates = [
      ['the flat weight buffer', 4 * p.paramFloats],
      ['the decode logits [rows, vocab]', 4 * maxRows * d.V],
      ['an MLP activation [tokens, intermediate]', 4 * p.train.B * p.train.T * d.F],
      ['a KV cache layer [rows, context, kv dim]', 4 * Math.max(...decodes.map((s) => kvCacheLayerFloats(d, s.prompts * s.group, s.maxT)))],
    ];
  }
  if (device.scratchBytes > 0) parts['GPU scratch (log-prob chunks, reductions)'] = device.scratchBytes;
  const [what, largestBytes] = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  return { totalBytes: Object.values(parts).reduce((a, b) => a + b, 0), largest: { what, bytes: largestBytes }, parts };
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
