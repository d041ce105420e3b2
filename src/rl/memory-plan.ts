// The memory plan of a whole run, before anything is allocated: the training batch and every kind of generate()
// call the run makes (training rollouts, greedy evaluation), sized from the task's first prompt with headroom.
import type { LoadedModel } from '../engine/io/model-folder.ts';
import { buildLoraLayout, frozenBaseBuffers } from '../engine/lora.ts';
import { planMemory, type MemoryPlan } from '../engine/memory.ts';
import { webgpuPlanDevice } from '../engine/webgpu/plan.ts';
import { baseDtypeOn } from './policy.ts';
import type { RunConfig } from './config/schema.ts';
import { environmentOf } from './envs/single-turn.ts';
import { EVAL_BATCH } from './evaluate.ts';
import { encodePrompt, type ChatCodec } from './rollout.ts';
import type { Task } from './tasks/types.ts';

/** Prompts vary in length: plan for this much more than the first one. */
const PROMPT_HEADROOM = 1.5;

/** `backend`: WebGPU plans add the pool's buffer rounding and the kernels' scratch (engine/webgpu/plan.ts). */
export function planRun(config: RunConfig, loaded: LoadedModel, task: Task, codec: ChatCodec, backend: { name: 'cpu' | 'webgpu' } = { name: 'cpu' }): MemoryPlan {
  const d = loaded.layout.dims;
  const promptT = Math.ceil(encodePrompt(codec, task, task.trainRow(config.seed, 0)).ids.length * PROMPT_HEADROOM);
  const P = config.grpo.promptsPerStep;
  const G = config.grpo.groupSize;
  // Multi-turn: every turn adds a reply (taken to be no longer than the prompt) and new tokens, up to the context.
  const turns = environmentOf(task).maxTurns;
  const T = Math.min(d.maxT, turns * (promptT + config.sampling.maxNewTokens));
  const evalRows = Math.min(EVAL_BATCH, config.task.evalSize);
  // LoRA (config.lora): frozen base, adapters, reference = adapters off (policy.ts builds the same).
  const lora = config.lora ? buildLoraLayout(d, config.lora) : null;
  const device = backend.name === 'webgpu' ? webgpuPlanDevice(d, P * G, T, lora ? lora.total : loaded.layout.total, !lora) : undefined;
  return planMemory({
    dims: d,
    paramFloats: loaded.layout.total,
    train: { B: P * G, T },
    decodes: [
      { prompts: P, group: G, promptT: Math.min(promptT, d.maxT), maxT: T },
      // Later turns decode every rollout as its own prompt.
      ...(turns > 1 ? [{ prompts: P * G, group: 1, promptT: T, maxT: T }] : []),
      { prompts: evalRows, group: 1, promptT, maxT: Math.min(d.maxT, turns * (promptT + config.eval.maxNewTokens)) },
    ],
    reference: config.grpo.beta > 0,
    ...(lora ? { lora: { layout: lora, frozenBuffers: frozenBaseBuffers(loaded.layout, baseDtypeOn(config, backend)) } } : {}),
  }, device);
}
