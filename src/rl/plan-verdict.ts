// The Model panel's verdict per training mode (full fine-tuning / LoRA) from the engine's exact memory plan
// (engine/memory.ts, both modes), before anything downloads, with advice when a mode does not fit: LoRA, fewer
// prompts per step, a smaller group, fewer new tokens, the first one that makes it fit. The prompt length is not
// known before the tokenizer loads, so it is taken as `promptTokens` (default PROMPT_TOKENS_ESTIMATE). The one
// fit verdict of the codebase: the page computes it from a model's config.json and the devices it can train on.
import { parseModelConfig, type ModelConfig } from '../engine/config.ts';
import { buildLoraLayout, frozenBaseBuffers, type LoraOptions } from '../engine/lora.ts';
import { webgpuPlanDevice } from '../engine/webgpu/plan.ts';
import { planMemory, type MemoryPlan, type MemoryPlanInput } from '../engine/memory.ts';
import { buildParamLayout, type ParamLayout } from '../engine/params.ts';
import type { RunConfig } from './config/schema.ts';
import { EVAL_BATCH } from './evaluate.ts';

export const PROMPT_TOKENS_ESTIMATE = 96;

/** LoRA settings used for the verdict when the run has none yet: the schema's defaults. */
export const DEFAULT_LORA: LoraOptions & { baseDtype: 'f32' | 'bf16' | 'f16' } = {
  rank: 16,
  alpha: 32,
  targets: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'],
  baseDtype: 'bf16',
};

export interface VerdictDevice {
  name: string;
  /** The backend that would train: WebGPU plans round buffers to the pool's buckets and hold a half-precision base. */
  kind: 'cpu' | 'webgpu';
  /** Largest single buffer (a GPU's storage binding limit). */
  maxBufferBytes?: number;
  /** Memory the whole run may use, when known. */
  maxTotalBytes?: number;
}

export interface ModeVerdict {
  mode: 'full' | 'lora';
  plan: MemoryPlan;
  fits: boolean;
  /** One sentence: why it fits or not. */
  reason: string;
  /** When it does not fit: changes that make it fit, best first (empty when none of them does). */
  advice: string[];
  /** The smaller run the advice names, when one fits (the UI may offer to apply it). */
  fitsWith?: RunConfig;
}

export interface PlanVerdict {
  params: number;
  full: ModeVerdict;
  lora: ModeVerdict;
}

/** GiB with two decimals from a tenth of a GiB up (the figures people compare with a GPU's memory), else MiB or KiB. */
function gib(n: number): string {
  if (n >= 2 ** 30 / 10) return `${(n / 2 ** 30).toFixed(2)} GiB`;
  return n >= 2 ** 20 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 10).toFixed(1)} KiB`;
}

function planInput(layout: ParamLayout, run: RunConfig, promptTokens: number): MemoryPlanInput {
  const d = layout.dims;
  const P = run.grpo.promptsPerStep;
  const G = run.grpo.groupSize;
  const promptT = Math.min(d.maxT, promptTokens);
  const T = Math.min(d.maxT, promptT + run.sampling.maxNewTokens);
  return {
    dims: d,
    paramFloats: layout.total,
    train: { B: P * G, T },
    decodes: [
      { prompts: P, group: G, promptT, maxT: T },
      { prompts: Math.min(EVAL_BATCH, run.task.evalSize), group: 1, promptT, maxT: Math.min(d.maxT, promptT + run.eval.maxNewTokens) },
    ],
    reference: run.grpo.beta > 0,
  };
}

function planFor(mode: 'full' | 'lora', layout: ParamLayout, run: RunConfig, device: VerdictDevice, promptTokens: number): MemoryPlan {
  const input = planInput(layout, run, promptTokens);
  const opts = run.lora ?? DEFAULT_LORA;
  const lora = mode === 'lora' ? buildLoraLayout(layout.dims, opts) : null;
  // WebGPU: pooled buffers rounded to their buckets, plus the kernels' scratch.
  const gpu = device.kind === 'webgpu' ? webgpuPlanDevice(layout.dims, input.train.B, input.train.T, lora ? lora.total : layout.total, !lora) : undefined;
  if (!lora) return planMemory(input, gpu);
  // The CPU keeps the frozen base in f32; WebGPU in the run's baseDtype.
  const dtype = device.kind === 'webgpu' ? opts.baseDtype : 'f32';
  return planMemory({ ...input, lora: { layout: lora, frozenBuffers: frozenBaseBuffers(layout, dtype) } }, gpu);
}

/** Why a plan does not fit the device, or null when it does. */
function misfit(plan: MemoryPlan, device: VerdictDevice): string | null {
  if (device.maxBufferBytes !== undefined && plan.largest.bytes > device.maxBufferBytes) {
    return `${plan.largest.what} needs ${gib(plan.largest.bytes)}; ${device.name} allows ${gib(device.maxBufferBytes)} per buffer`;
  }
  if (device.maxTotalBytes !== undefined && plan.totalBytes > device.maxTotalBytes) {
    return `needs ${gib(plan.totalBytes)}; ${device.name} has about ${gib(device.maxTotalBytes)} for it`;
  }
  return null;
}

/**
 * Ever smaller runs to try, cumulatively: fewer prompts per step (halving to 1), then a smaller group (to 2), then
 * fewer new tokens (to 8); each says what it changed from `run`.
 */
function smallerRuns(run: RunConfig): { say: string; run: RunConfig }[] {
  const out: { say: string; run: RunConfig }[] = [];
  let cur = run;
  const say = (r: RunConfig) =>
    [
      r.grpo.promptsPerStep !== run.grpo.promptsPerStep ? `${r.grpo.promptsPerStep} prompt(s) per step` : '',
      r.grpo.groupSize !== run.grpo.groupSize ? `group size ${r.grpo.groupSize}` : '',
      r.sampling.maxNewTokens !== run.sampling.maxNewTokens ? `${r.sampling.maxNewTokens} new tokens` : '',
    ]
      .filter(Boolean)
      .join(', ');
  const push = (r: RunConfig) => {
    cur = r;
    out.push({ say: say(r), run: r });
  };
  while (cur.grpo.promptsPerStep > 1) push({ ...cur, grpo: { ...cur.grpo, promptsPerStep: Math.floor(cur.grpo.promptsPerStep / 2) } });
  while (cur.grpo.groupSize > 2) push({ ...cur, grpo: { ...cur.grpo, groupSize: Math.max(2, Math.floor(cur.grpo.groupSize / 2)) } });
  while (cur.sampling.maxNewTokens > 8) {
    const n = Math.max(8, Math.floor(cur.sampling.maxNewTokens / 2));
    push({ ...cur, sampling: { ...cur.sampling, maxNewTokens: n }, eval: { ...cur.eval, maxNewTokens: Math.min(cur.eval.maxNewTokens, n) } });
  }
  return out;
}

function verdictFor(mode: 'full' | 'lora', layout: ParamLayout, run: RunConfig, device: VerdictDevice, promptTokens: number): ModeVerdict {
  const plan = planFor(mode, layout, run, device, promptTokens);
  const why = misfit(plan, device);
  if (why === null) {
    const known = device.maxTotalBytes !== undefined ? '' : ' (the device does not report its total memory)';
    return { mode, plan, fits: true, reason: `needs ${gib(plan.totalBytes)} in all, at most ${gib(plan.largest.bytes)} in one buffer${known}`, advice: [] };
  }
  const advice: string[] = [];
  if (mode === 'full' && misfit(planFor('lora', layout, run, device, promptTokens), device) === null) {
    advice.push('train with LoRA (the frozen base needs no gradients or optimiser state)');
  }
  const smaller = smallerRuns(run).find((s) => misfit(planFor(mode, layout, s.run, device, promptTokens), device) === null);
  if (smaller) advice.push(`or fit ${mode === 'lora' ? 'LoRA' : 'full fine-tuning'} with ${smaller.say}`);
  return { mode, plan, fits: false, reason: why, advice, ...(smaller ? { fitsWith: smaller.run } : {}) };
}

/** The verdict for both modes of `run` on `device`, from the model's config.json alone. */
export function planVerdict(config: ModelConfig, run: RunConfig, device: VerdictDevice, promptTokens = PROMPT_TOKENS_ESTIMATE): PlanVerdict {
  const layout = buildParamLayout(config);
  return {
    params: layout.count,
    full: verdictFor('full', layout, run, device, promptTokens),
    lora: verdictFor('lora', layout, run, device, promptTokens),
  };
}

/** A config.json's JSON as the engine reads it (throws the engine's one-line refusal for a config it cannot run). */
export function verdictModelConfig(configJson: unknown): ModelConfig {
  return parseModelConfig(configJson);
}
