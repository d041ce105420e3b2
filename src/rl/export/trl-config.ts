// The run config as TRL's GRPOConfig (trl/trainer/grpo_config.py and transformers' TrainingArguments): the
// fields that map one to one, how batch and step counts translate, and what has no counterpart. One step here
// samples promptsPerStep x groupSize completions and makes numIterations optimiser passes over them; in TRL
// one optimiser step consumes per_device_train_batch_size x processes x gradient_accumulation_steps
// completions and each generation batch is reused num_iterations times. So per_device_train_batch_size = G
// (one group per micro-batch), gradient_accumulation_steps = promptsPerStep / processes (the script computes
// it), max_steps = steps x numIterations, and warmup counts optimiser steps the same way.
import type { RunConfig } from '../config/schema.ts';

const LORA_MODULES: Record<string, string> = {
  q: 'q_proj',
  k: 'k_proj',
  v: 'v_proj',
  o: 'o_proj',
  gate: 'gate_proj',
  up: 'up_proj',
  down: 'down_proj',
};

const LR_SCHEDULER: Record<RunConfig['grpo']['lrSchedule'], string> = {
  constant: 'constant',
  constant_with_warmup: 'constant_with_warmup',
  cosine: 'cosine_with_min_lr',
};

/** GRPOConfig keyword arguments fixed by the run config (the script adds output_dir, gradient_accumulation_steps and the vLLM ones). */
export function grpoConfigFields(config: RunConfig): Record<string, unknown> {
  const g = config.grpo;
  const s = config.sampling;
  const mu = g.numIterations;
  const fields: Record<string, unknown> = {
    learning_rate: g.learningRate,
    lr_scheduler_type: LR_SCHEDULER[g.lrSchedule],
    ...(g.lrSchedule === 'cosine' ? { lr_scheduler_kwargs: { min_lr_rate: g.minLrRatio } } : {}),
    warmup_steps: g.lrSchedule === 'constant' ? 0 : g.warmupSteps * mu,
    max_steps: config.steps * mu,
    per_device_train_batch_size: g.groupSize,
    num_generations: g.groupSize,
    max_completion_length: s.maxNewTokens,
    temperature: s.temperature,
    top_p: s.topP,
    top_k: s.topK,
    beta: g.beta,
    epsilon: g.epsilonLow,
    epsilon_high: g.epsilonHigh,
    loss_type: g.lossType,
    scale_rewards: g.scaleRewards,
    num_iterations: mu,
    importance_sampling_level: g.importanceSampling,
    mask_truncated_completions: g.maskTruncatedCompletions,
    reward_weights: config.rubric.criteria.map((c) => c.weight),
    max_grad_norm: g.maxGradNorm,
    weight_decay: g.weightDecay,
    adam_beta1: g.adamBeta1,
    adam_beta2: g.adamBeta2,
    adam_epsilon: g.adamEps,
    seed: config.seed,
    remove_unused_columns: false,
    logging_steps: 1,
    log_completions: true,
  };
  if (config.eval.every > 0) {
    fields.eval_strategy = 'steps';
    fields.eval_steps = config.eval.every * mu;
    fields.per_device_eval_batch_size = g.groupSize;
  }
  return fields;
}

/** peft.LoraConfig keyword arguments for the run's `lora` block, or null for full fine-tuning. */
export function peftConfigFields(config: RunConfig): Record<string, unknown> | null {
  if (!config.lora) return null;
  return {
    r: config.lora.rank,
    lora_alpha: config.lora.alpha,
    lora_dropout: config.lora.dropout,
    target_modules: config.lora.targets.map((t) => LORA_MODULES[t]),
    task_type: 'CAUSAL_LM',
  };
}

/** One line per run-config setting: how it reaches TRL ('exact'), roughly ('approx'), or not at all ('none'). */
export interface MappingNote {
  setting: string;
  trl: string;
  fidelity: 'exact' | 'approx' | 'none';
  note?: string;
}

export function mappingNotes(config: RunConfig): MappingNote[] {
  const g = config.grpo;
  const notes: MappingNote[] = [
    { setting: 'grpo.lossType', trl: 'loss_type', fidelity: 'exact', note: g.lossType === 'bnpo' || g.lossType === 'dapo' ? 'ours normalises by the tokens of the whole step; TRL dapo by the global accumulated batch (the same), bnpo by the local batch' : undefined },
    { setting: 'grpo.scaleRewards', trl: 'scale_rewards', fidelity: 'exact' },
    { setting: 'grpo.beta', trl: 'beta', fidelity: 'exact', note: 'k3 KL estimator in both' },
    { setting: 'grpo.epsilonLow / epsilonHigh', trl: 'epsilon / epsilon_high', fidelity: 'exact' },
    { setting: 'grpo.numIterations', trl: 'num_iterations', fidelity: 'exact' },
    { setting: 'grpo.importanceSampling', trl: 'importance_sampling_level', fidelity: 'exact' },
    { setting: 'grpo.maskTruncatedCompletions', trl: 'mask_truncated_completions', fidelity: 'exact' },
    { setting: 'grpo.learningRate, adam*, weightDecay, maxGradNorm', trl: 'learning_rate, adam_beta1/2, adam_epsilon, weight_decay, max_grad_norm', fidelity: 'exact' },
    {
      setting: 'grpo.lrSchedule / warmupSteps / minLrRatio',
      trl: 'lr_scheduler_type / warmup_steps / lr_scheduler_kwargs.min_lr_rate',
      fidelity: 'approx',
      note: "transformers' warmup starts at lr 0 (ours at lr/warmup) and counts optimiser steps (x numIterations)",
    },
    { setting: 'grpo.groupSize', trl: 'num_generations, per_device_train_batch_size', fidelity: 'exact' },
    { setting: 'grpo.promptsPerStep', trl: 'gradient_accumulation_steps x processes', fidelity: 'exact', note: 'promptsPerStep must divide by the number of GPUs (the script warns)' },
    { setting: 'steps', trl: 'max_steps (x numIterations)', fidelity: 'exact' },
    { setting: 'sampling.temperature / topP / topK / maxNewTokens', trl: 'temperature / top_p / top_k / max_completion_length', fidelity: 'exact' },
    { setting: 'sampling.stop', trl: 'generation_kwargs.stop (vLLM only)', fidelity: config.sampling.stop.length ? 'approx' : 'exact', note: config.sampling.stop.length ? 'without vLLM the stop strings are not applied' : undefined },
    { setting: 'rubric weights', trl: 'reward_weights', fidelity: 'exact', note: 'weight 0 logs the criterion without rewarding it, in both' },
    { setting: 'seed', trl: 'seed', fidelity: 'approx', note: 'same data, different random streams: runs are not bit-identical' },
    { setting: 'grpo.skipZeroStdGroups / dynamicSampling', trl: '-', fidelity: g.skipZeroStdGroups || g.dynamicSampling !== 'off' ? 'none' : 'exact', note: 'TRL has no DAPO dynamic sampling; zero-std groups get advantage 0 there (no gradient, but their tokens count in the loss normaliser)' },
    { setting: 'eval (greedy, held-out accuracy)', trl: 'eval_strategy / eval_steps', fidelity: 'approx', note: "TRL evaluates sampled completions; for our greedy eval/accuracy serve the trained model (vLLM) and run `grpo-playground eval --api-base`" },
  ];
  if (config.rubric.criteria.some((c) => c.kind === 'llm_judge' && c.params.mode === 'group')) {
    notes.push({ setting: 'llm_judge mode "group"', trl: '-', fidelity: 'none', note: 'the Python port scores each completion on its own with `template` (single mode); the group-relative judge is not ported' });
  }
  if (config.lora) {
    notes.push({ setting: 'lora.rank / alpha / targets / dropout', trl: 'peft.LoraConfig(r, lora_alpha, target_modules, lora_dropout)', fidelity: 'exact' });
    notes.push({ setting: 'lora.baseDtype', trl: '-', fidelity: 'none', note: 'choose the dtype with model_init_kwargs / bf16 in TRL' });
  }
  return notes;
}
