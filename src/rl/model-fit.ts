// Whether a model fits this device for a run, decided from its config alone (before the weights download):
// full fine-tuning from the engine's memory plan, and LoRA from a labelled estimate. The prompt length is
// not known before the tokenizer is loaded, so it is taken as PROMPT_TOKENS_ESTIMATE.
import { modelDims, type ModelConfig } from '../engine/config.ts';
import { planMemory, type MemoryPlan } from '../engine/memory.ts';
import { buildParamLayout } from '../engine/params.ts';
import type { RunConfig } from './config/schema.ts';
import { EVAL_BATCH } from './evaluate.ts';

export const PROMPT_TOKENS_ESTIMATE = 96;

export interface FitDevice {
  name: string;
  /** Largest single buffer the device allows (a GPU's storage binding limit). */
  maxBufferBytes?: number;
  /** Memory the whole run may use, when known (CPU: a share of RAM; a GPU does not tell the page). */
  maxTotalBytes?: number;
}

export interface FitLine {
  totalBytes: number;
  largestBytes: number;
  largestWhat: string;
  fits: boolean;
  /** One sentence: why it fits or not. */
  reason: string;
}

export interface FitVerdict {
  params: number;
  full: FitLine;
  /** An estimate, labelled as one in the UI. */
  lora: FitLine;
}

const gib = (n: number) => `${(n / 2 ** 30).toFixed(2)} GiB`;

function lineFor(plan: Pick<MemoryPlan, 'totalBytes' | 'largest'>, device: FitDevice): FitLine {
  const base = { totalBytes: plan.totalBytes, largestBytes: plan.largest.bytes, largestWhat: plan.largest.what };
  if (device.maxBufferBytes !== undefined && plan.largest.bytes > device.maxBufferBytes) {
    return { ...base, fits: false, reason: `${plan.largest.what} needs ${gib(plan.largest.bytes)}; ${device.name} allows ${gib(device.maxBufferBytes)} per buffer` };
  }
  if (device.maxTotalBytes !== undefined && plan.totalBytes > device.maxTotalBytes) {
    return { ...base, fits: false, reason: `needs about ${gib(plan.totalBytes)}; ${device.name} has about ${gib(device.maxTotalBytes)} for it` };
  }
  const known = device.maxTotalBytes !== undefined ? '' : ' (the device does not report its total memory)';
  return { ...base, fits: true, reason: `needs about ${gib(plan.totalBytes)} in all, at most ${gib(plan.largest.bytes)} in one buffer${known}` };
}

/**
 * LoRA estimate: frozen base weights in half precision, rank-16 adapters on q/k/v/o/gate/up/down with fp32
 * weights, gradients and AdamW state (16 bytes per adapter float), plus the full plan's activations and sampling
 * memory; the KL reference is the base with adapters off, so it adds no weights. The LoRA work
 * (issue 12) owns the exact plan; replace this function with its planner when it lands.
 */
export function estimateLoraPlan(config: ModelConfig, full: MemoryPlan, rank = 16): Pick<MemoryPlan, 'totalBytes' | 'largest'> {
  const d = modelDims(config);
  const q = d.NH * d.D;
  const kv = d.KVH * d.D;
  const perLayer = rank * ((d.C + q) + 2 * (d.C + kv) + (q + d.C) + 2 * (d.C + d.F) + (d.F + d.C));
  const adapterFloats = d.L * perLayer;
  const weightFloats = full.parts.weights / 4;
  const frozenHalf = 2 * weightFloats;
  // The KL reference is the base with the adapters off: no second copy of the weights.
  const totalBytes = frozenHalf + 16 * adapterFloats + (full.parts.activations ?? 0) + (full.parts['sampling (KV cache, logits)'] ?? 0);
  const largest = full.largest.what === 'the flat weight buffer' ? { what: 'the frozen half-precision weights', bytes: frozenHalf } : full.largest;
  return { totalBytes, largest };
}

export function fitVerdict(config: ModelConfig, run: RunConfig, device: FitDevice): FitVerdict {
  const layout = buildParamLayout(config);
  const d = layout.dims;
  const P = run.grpo.promptsPerStep;
  const G = run.grpo.groupSize;
  const promptT = Math.min(d.maxT, PROMPT_TOKENS_ESTIMATE);
  const T = Math.min(d.maxT, promptT + run.sampling.maxNewTokens);
  const plan = planMemory({
    dims: d,
    paramFloats: layout.total,
    train: { B: P * G, T },
    decodes: [
      { prompts: P, group: G, promptT, maxT: T },
      { prompts: Math.min(EVAL_BATCH, run.task.evalSize), group: 1, promptT, maxT: Math.min(d.maxT, promptT + run.eval.maxNewTokens) },
    ],
    reference: run.grpo.beta > 0,
  });
  return { params: layout.count, full: lineFor(plan, device), lora: lineFor(estimateLoraPlan(config, plan), device) };
}
