// A memory plan for one run on a device: the bytes the weights, gradients, optimiser state, activations and
// KV caches need, and the largest single buffer, so a model that cannot fit is refused before anything is
// allocated, with needed vs available figures.
import type { ModelDims } from './config.ts';

export interface MemoryPlanInput {
  dims: ModelDims;
  paramFloats: number; // layout.total
  trainRows: number; // B*T of the largest training batch
  trainBatch: number; // B
  trainT: number; // T
  decodeRows: number; // R = prompts x G
  decodeMaxT: number; // prompt + new tokens
  reference: boolean; // a frozen reference copy (KL > 0)
}

export interface MemoryPlan {
  totalBytes: number;
  largest: { what: string; bytes: number };
  parts: Record<string, number>;
}

export function planMemory(p: MemoryPlanInput): MemoryPlan {
  const d = p.dims;
  const N = p.trainRows;
  const QD = d.NH * d.D;
  const KD = d.KVH * d.D;
  const perLayerActs = N * (4 * d.C + 3 * QD + 3 * KD + 3 * d.F + 2) + p.trainBatch * d.NH * p.trainT + (d.qkNorm ? 2 * N * (QD + KD) : 0);
  const floats: Record<string, number> = {
    weights: p.paramFloats,
    gradients: p.paramFloats,
    'AdamW state': 2 * p.paramFloats,
    reference: p.reference ? p.paramFloats : 0,
    activations: d.L * perLayerActs + N * (3 * d.C + 5) + N * (3 * d.F + 2 * QD + 2 * KD + 3 * d.C),
    'KV cache': 2 * d.L * p.decodeRows * p.decodeMaxT * KD,
    'decode logits': p.decodeRows * d.V,
  };
  const candidates: [string, number][] = [
    ['the flat weight buffer', p.paramFloats],
    ['the decode logits [rows, vocab]', p.decodeRows * d.V],
    ['an MLP activation [tokens, intermediate]', N * d.F],
    ['a KV cache layer [rows, context, kv dim]', p.decodeRows * p.decodeMaxT * KD],
  ];
  const [what, maxFloats] = candidates.reduce((a, b) => (b[1] > a[1] ? b : a));
  const parts = Object.fromEntries(Object.entries(floats).map(([k, v]) => [k, v * 4]));
  return { totalBytes: Object.values(parts).reduce((a, b) => a + b, 0), largest: { what, bytes: maxFloats * 4 }, parts };
}

export function formatBytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${n} B`;
}

/** Throws one clear message when the plan cannot fit the device's limits. */
export function checkFits(plan: MemoryPlan, limits: { maxTensorBytes?: number; deviceName: string }): void {
  if (limits.maxTensorBytes !== undefined && plan.largest.bytes > limits.maxTensorBytes) {
    throw new Error(
      `this run does not fit ${limits.deviceName}: ${plan.largest.what} needs ${formatBytes(plan.largest.bytes)} but the device allows ` +
        `${formatBytes(limits.maxTensorBytes)} per buffer (whole run: about ${formatBytes(plan.totalBytes)}). ` +
        'Use a smaller model, fewer prompts per step or a smaller group, or the CPU backend.',
    );
  }
}
