// The export of every preset, for TRL and verifiers: the Python compiles (py_compile), the datasets hold the
// trainer's rows, GRPOConfig uses only TRL's documented field names (the list below, from trl/trainer/
// grpo_config.py and transformers' TrainingArguments) with the run's values, LoRA becomes a peft LoraConfig,
// and the TRL reward functions, called as GRPOTrainer calls them, give the playground's rewards.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunConfig, type RunConfig } from '../config/schema.ts';
import { environmentOf } from '../envs/single-turn.ts';
import { getPreset, PRESETS } from '../presets.ts';
import { Rubric } from '../rubric/rubric.ts';
import { createTask } from '../tasks/index.ts';
import { buildExport, EXPORT_TARGETS, exportModel, trainRows } from './project.ts';
import { HAVE_PYTHON, runPython, writeExport } from './test-python.ts';
import { grpoConfigFields, peftConfigFields } from './trl-config.ts';

/** GRPOConfig fields as TRL documents them (GRPOConfig's own, and the TrainingArguments it inherits) that an export may set. */
const TRL_DOCUMENTED_FIELDS = new Set([
  // transformers.TrainingArguments
  'output_dir', 'learning_rate', 'lr_scheduler_type', 'lr_scheduler_kwargs', 'warmup_steps', 'max_steps', 'per_device_train_batch_size',
  'per_device_eval_batch_size', 'gradient_accumulation_steps', 'max_grad_norm', 'weight_decay', 'adam_beta1', 'adam_beta2', 'adam_epsilon',
  'seed', 'logging_steps', 'eval_strategy', 'eval_steps', 'remove_unused_columns', 'bf16',
  // trl.GRPOConfig
  'model_init_kwargs', 'num_generations', 'max_completion_length', 'temperature', 'top_p', 'top_k', 'generation_kwargs', 'use_vllm',
  'vllm_mode', 'beta', 'num_iterations', 'epsilon', 'epsilon_high', 'importance_sampling_level', 'reward_weights', 'scale_rewards',
  'loss_type', 'mask_truncated_completions', 'log_completions', 'shuffle_dataset',
]);

const PRESET_NAMES = Object.keys(PRESETS);

describe('export: the GRPOConfig mapping', () => {
  it('maps each GRPO setting one to one and uses only documented TRL fields', () => {
    const config = parseRunConfig({
      version: 1,
      steps: 40,
      seed: 7,
      grpo: {
        groupSize: 4, promptsPerStep: 6, learningRate: 1e-6, beta: 0.04, epsilonLow: 0.2, epsilonHigh: 0.28, lossType: 'dr_grpo', scaleRewards: 'none',
        numIterations: 2, importanceSampling: 'sequence', maskTruncatedCompletions: true, lrSchedule: 'cosine', warmupSteps: 5, minLrRatio: 0.2,
        maxGradNorm: 0.5, weightDecay: 0.01, adamBeta1: 0.8, adamBeta2: 0.95, adamEps: 1e-6,
      },
      sampling: { temperature: 0.7, topP: 0.9, topK: 20, maxNewTokens: 64 },
      eval: { every: 5 },
    });
    const f = grpoConfigFields(config);
    for (const k of Object.keys(f)) expect(TRL_DOCUMENTED_FIELDS.has(k), k).toBe(true);
    expect(f).toMatchObject({
      loss_type: 'dr_grpo', scale_rewards: 'none', beta: 0.04, epsilon: 0.2, epsilon_high: 0.28, num_iterations: 2,
      importance_sampling_level: 'sequence', mask_truncated_completions: true, lr_scheduler_type: 'cosine_with_min_lr',
      lr_scheduler_kwargs: { min_lr_rate: 0.2 }, learning_rate: 1e-6, num_generations: 4, per_device_train_batch_size: 4,
      max_completion_length: 64, temperature: 0.7, top_p: 0.9, top_k: 20, max_grad_norm: 0.5, weight_decay: 0.01,
      adam_beta1: 0.8, adam_beta2: 0.95, adam_epsilon: 1e-6, seed: 7, reward_weights: [1, 0.2],
      // optimiser steps: steps x numIterations
      max_steps: 80, warmup_steps: 10, eval_strategy: 'steps', eval_steps: 10,
    });
    expect(peftConfigFields(config)).toBeNull();
  });

  it('a lora block becomes a peft LoraConfig with the HF module names', () => {
    const config = parseRunConfig({ version: 1, lora: { rank: 8, alpha: 16, targets: ['q', 'v', 'down'] } });
    expect(peftConfigFields(config)).toEqual({ r: 8, lora_alpha: 16, lora_dropout: 0, target_modules: ['q_proj', 'v_proj', 'down_proj'], task_type: 'CAUSAL_LM' });
    const script = buildExport(config, 'trl').find((f) => f.path === 'train_trl.py')!.text;
    expect(script).toContain('from peft import LoraConfig');
    expect(script).toContain('peft_config=LoraConfig(r=8, lora_alpha=16, lora_dropout=0, target_modules=["q_proj", "v_proj", "down_proj"], task_type="CAUSAL_LM")');
  });

  it('a Hub model is named by its id and revision; a bundled one is copied', () => {
    expect(exportModel(parseRunConfig({ version: 1, model: { id: 'hf:Qwen/Qwen2.5-0.5B-Instruct@main' } }))).toEqual({ model: 'Qwen/Qwen2.5-0.5B-Instruct', revision: 'main', bundled: false });
    expect(exportModel(getPreset('arithmetic'))).toEqual({ model: 'model', bundled: true });
  });
});

describe.skipIf(!HAVE_PYTHON)('export: every preset, for TRL and verifiers', () => {
  it.each(PRESET_NAMES)('%s', async (name) => {
    const config: RunConfig = getPreset(name);
    const task = createTask(config.task.name, config.task.params);
    for (const target of EXPORT_TARGETS) {
      const files = buildExport(config, target);
      const dir = await writeExport(files);
      const py = files.filter((f) => f.path.endsWith('.py')).map((f) => f.path);
      expect(py).toContain(target === 'trl' ? 'train_trl.py' : 'playground_env.py');
      await runPython(['-m', 'py_compile', ...py], dir);
      const readme = files.find((f) => f.path === 'README.md')!.text;
      expect(readme).toMatch(target === 'trl' ? /accelerate launch/ : /load_environment/);

      // The datasets: the trainer's training rows in its order, the held-out rows, as conversational prompts.
      const train = (await readFile(join(dir, 'data/train.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      const expected = trainRows(config, task);
      expect(train).toHaveLength(expected.length);
      expect(train.length).toBeGreaterThanOrEqual(config.steps * config.grpo.promptsPerStep);
      expect(train[3].prompt).toEqual(environmentOf(task).initialMessages(task.trainRow(config.seed, 3)));
      expect(JSON.parse(train[3].info).question).toBe(task.trainRow(config.seed, 3).prompt);
      const held = (await readFile(join(dir, 'data/eval.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      expect(held.map((r) => r.answer)).toEqual(task.evalRows(config.task.evalSize).map((r) => r.answer));

      if (target === 'trl') {
        const script = files.find((f) => f.path === 'train_trl.py')!.text;
        const call = /config = GRPOConfig\(([\s\S]*?)\n {4}\)/.exec(script)![1];
        const keys = [...call.matchAll(/^ {8}(\w+)=/gm)].map((m) => m[1]);
        expect(keys.length).toBeGreaterThan(20);
        for (const k of keys) expect(TRL_DOCUMENTED_FIELDS.has(k), `GRPOConfig(${k}=...)`).toBe(true);
        for (const k of Object.keys(grpoConfigFields(config))) expect(keys).toContain(k);
        await trlRewardsMatch(config, dir, held);
      }
    }
  }, 60_000);
});

/**
 * Call the exported TRL reward functions as GRPOTrainer does (prompts, completions as message lists, the
 * dataset's columns as keyword lists, completion_ids) on the held-out rows answered right (in <answer> and in <guess>), wrong and not at all;
 * their weighted sum must be the playground's reward for the same completions.
 */
async function trlRewardsMatch(config: RunConfig, dir: string, held: { prompt: unknown; answer: string; info: string }[]) {
  const rows = held.slice(0, 6);
  const texts = rows.flatMap((r) => [`<answer>${r.answer}</answer>`, `<guess>${r.answer}</guess>`, '<answer>wrong</answer>', '']);
  const batch = rows.flatMap((r) => [r, r, r, r]);
  const tokens = texts.map((t) => Array.from({ length: t.length }, () => 1));
  const script = `
import json, sys
from trl_rewards import reward_funcs_and_weights
batch = json.load(open("batch.json"))
funcs, weights = reward_funcs_and_weights()
cols = [f(prompts=batch["prompts"], completions=batch["completions"], answer=batch["answer"], info=batch["info"], completion_ids=batch["ids"]) for f in funcs]
print(json.dumps([sum(w * col[i] for w, col in zip(weights, cols)) for i in range(len(batch["prompts"]))]))
`;
  await writeFile(join(dir, 'batch.json'), JSON.stringify({
    prompts: batch.map((r) => r.prompt),
    completions: texts.map((t) => [{ role: 'assistant', content: t }]),
    answer: batch.map((r) => r.answer),
    info: batch.map((r) => r.info),
    ids: tokens,
  }));
  await writeFile(join(dir, 'call_trl.py'), script);
  const python = JSON.parse(await runPython(['call_trl.py'], dir)) as number[];
  const ours = await new Rubric(config.rubric.criteria).scoreEach(
    batch.map((r, i) => {
      const info = JSON.parse(r.info) as { question: string; row_info: Record<string, unknown> };
      return { prompt: info.question, completion: texts[i], answer: r.answer, info: info.row_info, completionTokens: tokens[i].length, maxNewTokens: config.sampling.maxNewTokens };
    }),
  );
  python.forEach((v, i) => expect(v, `completion ${JSON.stringify(texts[i])}`).toBeCloseTo(ours[i].total, 10));
  expect(new Set(python).size).toBeGreaterThan(1);
}
