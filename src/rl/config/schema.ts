// The run config: one versioned object that describes a run completely (model, task, rubric, GRPO and
// sampling hyperparameters, eval, seed, steps). The UI state, share URLs, the CLI's --config file and the
// presets are all this object. Every field has a default, tuned for a tiny model on a CPU; papers cited:
//   GRPO: DeepSeekMath, arXiv:2402.03300      DAPO: arXiv:2503.14476      Dr. GRPO: arXiv:2503.20783
// Invalid input becomes one RunConfigError whose message names the field: "grpo.learningRate: must be > 0".

import { hubIdProblem } from '../../engine/io/hub-id.ts';
import { z } from 'zod';
import { IMPORTANCE_SAMPLING_LEVELS } from '../grpo/gspo.ts';
import { LR_SCHEDULES } from '../schedule.ts';
import { DYNAMIC_SAMPLING_MODES } from '../dynamic-sampling.ts';
import { CRITERION_KINDS, resolveCriterionParams } from '../rubric/criteria.ts';
import { CRITERION_NAME_PATTERN } from '../rubric/types.ts';
import { MAX_DATA_CHARS, TASK_NAMES, validateTaskParams } from '../tasks/index.ts';
import { deepEqual } from './diff.ts';

export const RUN_CONFIG_VERSION = 1;

const PARAM_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const Params = z
  .record(
    z.string().regex(PARAM_KEY, 'param names are letters, digits and _'),
    z.union([z.number(), z.string().max(10_000), z.boolean()]),
  )
  .default({});
/** Task params may carry a data set (own-data: task.params.data), so their strings may be longer. */
const TaskParams = z
  .record(
    z.string().regex(PARAM_KEY, 'param names are letters, digits and _'),
    z.union([z.number(), z.string().max(MAX_DATA_CHARS), z.boolean()]),
  )
  .default({});

const int = () => z.int();

/** Bundled model folder names (as public/models/index.json's ids). */
const BUNDLED_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const Model = z
  .object({
    id: z
      .string()
      .min(1)
      .max(200)
      .superRefine((id, ctx) => {
        // A bundled folder name, or hf:ORG/NAME[@REV] (a path like "../x" is neither).
        if (id === '' || id.length > 200) return; // min/max say so
        const problem = id.startsWith('hf:') ? hubIdProblem(id) : BUNDLED_ID.test(id) ? null : `"${id}" is not a bundled model name or hf:ORG/NAME[@REV]`;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .default('tiny-arith')
      .describe('Bundled model folder name, or a Hugging Face Hub model as hf:ORG/NAME[@REVISION].'),
  })
  .strict();

const Task = z
  .object({
    name: z.enum(TASK_NAMES).default('arithmetic').describe('Which task generates the prompts.'),
    params: TaskParams.describe('Task parameters (e.g. arithmetic: maxOperand, ops; own-data: data); task defaults where absent.'),
    evalSize: int().min(1).max(10_000).default(32).describe('Rows in the fixed held-out eval set (greedy decoding).'),
  })
  .strict();

const Criterion = z
  .object({
    name: z.string().regex(CRITERION_NAME_PATTERN, 'must be 1-64 letters, digits, _ . or -').describe('Unique; metric rewards/<name>/mean.'),
    kind: z.enum(CRITERION_KINDS).describe('Which criterion implementation.'),
    weight: z.number().describe('Reward = sum of weight * score; 0 logs without rewarding, negative penalises.'),
    params: Params.describe("The kind's parameters; its defaults where absent."),
  })
  .strict();

const DEFAULT_CRITERIA = [
  { name: 'correct_answer', kind: 'correct_answer' as const, weight: 1, params: {} },
  { name: 'xml_format', kind: 'xml_format' as const, weight: 0.2, params: {} },
];

const Rubric = z
  .object({
    criteria: z
      .array(Criterion)
      .min(1)
      .max(32)
      .default(() => DEFAULT_CRITERIA.map((c) => ({ ...c, params: {} })))
      .describe('Correct answer (weight 1) plus partial credit for the <answer> format (0.2), which gives signal early.'),
  })
  .strict();

const Grpo = z
  .object({
    groupSize: int().min(2).max(256).default(8).describe('G completions per prompt; advantages are relative to the group (GRPO).'),
    promptsPerStep: int().min(1).max(1024).default(16).describe('Prompts per optimisation step; the batch is promptsPerStep * G completions.'),
    learningRate: z.number().gt(0).max(1).default(5e-4).describe('AdamW learning rate (5e-4 suits the bundled tiny model; 1e-3 already collapses it; billion-parameter models want ~1e-6).'),
    beta: z.number().min(0).default(0).describe('KL coefficient to the frozen reference (GRPO paper 0.04; 0 = no reference model, as in DAPO and Dr. GRPO).'),
    epsilonLow: z.number().min(0).max(1).default(0.2).describe('Lower clip: ratio >= 1 - epsilonLow (PPO/GRPO 0.2).'),
    epsilonHigh: z.number().min(0).max(10).default(0.2).describe('Upper clip: ratio <= 1 + epsilonHigh (DAPO "clip-higher" suggests 0.28).'),
    lossType: z
      .enum(['grpo', 'bnpo', 'dr_grpo', 'dapo'])
      .default('dapo')
      .describe('Loss aggregation: grpo per-sequence mean (GRPO), bnpo/dapo per-token mean (DAPO), dr_grpo sum / (S * maxNewTokens) (Dr. GRPO).'),
    scaleRewards: z
      .enum(['group', 'batch', 'none'])
      .default('group')
      .describe('Divide advantages by the group std (GRPO), the batch std, or not at all (Dr. GRPO recommends none).'),
    numIterations: int().min(1).max(64).default(1).describe('Optimisation passes per sampled batch (GRPO paper mu); > 1 makes clipping matter.'),
    maxGradNorm: z.number().min(0).default(1.0).describe('Clip the gradient L2 norm to this; 0 disables clipping.'),
    weightDecay: z.number().min(0).default(0.0).describe('AdamW decoupled weight decay.'),
    adamBeta1: z.number().min(0).lt(1).default(0.9).describe('AdamW beta1.'),
    adamBeta2: z.number().min(0).lt(1).default(0.99).describe('AdamW beta2 (0.99 adapts faster than the usual 0.999 in short runs).'),
    adamEps: z.number().gt(0).default(1e-8).describe('AdamW epsilon.'),
    maskTruncatedCompletions: z
      .boolean()
      .default(false)
      .describe('Leave completions cut at maxNewTokens out of the loss (DAPO overlong filtering).'),
    skipZeroStdGroups: z
      .boolean()
      .default(false)
      .describe('Leave groups whose rewards are all equal out of the loss (in the spirit of DAPO dynamic sampling).'),
    dynamicSampling: z
      .enum(DYNAMIC_SAMPLING_MODES)
      .default('off')
      .describe("DAPO dynamic sampling (arXiv:2503.14476): 'skip' drops groups whose rewards are all equal, 'resample' also draws more prompts to refill the batch."),
    maxResampleRounds: int().min(0).max(32).default(3).describe("With dynamicSampling 'resample': extra sampling rounds allowed per step."),
    importanceSampling: z
      .enum(IMPORTANCE_SAMPLING_LEVELS)
      .default('token')
      .describe(
        "Importance ratio per token (GRPO) or per sequence (GSPO arXiv:2507.18071; with 'sequence' use epsilonLow 3e-4, epsilonHigh 4e-4, lossType 'grpo'); only matters when numIterations > 1.",
      ),
    lrSchedule: z.enum(LR_SCHEDULES).default('constant').describe('Learning-rate schedule: constant, constant after linear warmup, or cosine decay after linear warmup.'),
    warmupSteps: int().min(0).default(0).describe('Linear warmup steps (DAPO arXiv:2503.14476 uses 20).'),
    minLrRatio: z.number().min(0).max(1).default(0.1).describe('Cosine schedule: final learning rate as a fraction of the base (0.1 as in Chinchilla arXiv:2203.15556).'),
  })
  .strict();

const Sampling = z
  .object({
    temperature: z.number().gt(0).max(10).default(1.0).describe('Sampling temperature for training rollouts (evaluation is greedy).'),
    topK: int().min(0).default(0).describe('Keep only the K most likely tokens; 0 = off.'),
    topP: z.number().gt(0).max(1).default(1.0).describe('Nucleus sampling mass; 1 = off.'),
    maxNewTokens: int().min(1).max(4096).default(16).describe('Completion length limit in tokens (also the dr_grpo normaliser).'),
    stop: z.array(z.string().min(1).max(100)).max(16).default([]).describe('Strings that end a completion.'),
  })
  .strict();

const Eval = z
  .object({
    every: int().min(0).default(0).describe('Evaluate every N steps; 0 = only before the first step and after the last.'),
    maxNewTokens: int().min(1).max(4096).default(16).describe('Completion length limit for evaluation.'),
    passAtK: z
      .boolean()
      .default(false)
      .describe('Also sample G completions per held-out row (training temperature) and log eval/pass@k for k up to G and eval/pass@1_greedy; costs about G greedy evaluations.'),
  })
  .strict();

// ---- LoRA (issue 12) ----
// Low-rank adapters on the decoder's projections, base frozen: W x + (alpha/r) B A x (Hu et al. 2021,
// arXiv:2106.09685). Rank/targets/LR advice from "LoRA Without Regret" (Thinking Machines, 2025; reproduced in
// TRL's docs): for RL, rank 1-32 on ALL linear layers (the MLP included) matches full fine-tuning, with a learning
// rate about 10x the full-fine-tuning one; attention-only LoRA underperforms. Absent = full fine-tuning.
export const LORA_TARGET_NAMES = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] as const;
const Lora = z
  .object({
    rank: int().min(1).max(256).default(16).describe('Adapter rank r ("LoRA Without Regret": 1-32 is enough for RL).'),
    alpha: z.number().gt(0).max(4096).default(32).describe('Scale alpha / r on the adapter output (alpha 32 as in "LoRA Without Regret").'),
    targets: z
      .array(z.enum(LORA_TARGET_NAMES))
      .min(1)
      .max(7)
      .refine((t) => new Set(t).size === t.length, 'targets must not repeat')
      .default(() => [...LORA_TARGET_NAMES])
      .describe('Projections that get adapters; all of q, k, v, o, gate, up, down by default (MLP included, as the paper advises).'),
    dropout: z.literal(0).default(0).describe('Adapter dropout: only 0 is implemented (RL with LoRA does not need it).'),
    baseDtype: z
      .enum(['f32', 'bf16', 'f16'])
      .default('bf16')
      .describe('How the frozen base is held on WebGPU (bf16/f16: half the memory, computed in f32); the CPU keeps f32.'),
  })
  .strict();

export const RunConfigSchema = z
  .object({
    version: z.literal(RUN_CONFIG_VERSION).describe('Schema version of this object.'),
    name: z.string().max(200).optional().describe('Optional label for the run.'),
    model: Model.prefault({}),
    task: Task.prefault({}),
    rubric: Rubric.prefault({}),
    grpo: Grpo.prefault({}),
    sampling: Sampling.prefault({}),
    eval: Eval.prefault({}),
    lora: Lora.optional().describe('LoRA adapters instead of full fine-tuning (learning rate ~10x the full one); absent = full fine-tuning.'),
    seed: int().min(0).max(0xffffffff).default(0).describe('Seeds data order, sampling and init (uint32).'),
    steps: int().min(0).max(1_000_000).default(50).describe('Optimisation steps; 0 only evaluates.'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.rubric.criteria.forEach((c, i) => {
      if (seen.has(c.name)) {
        ctx.addIssue({ code: 'custom', path: ['rubric', 'criteria', i, 'name'], message: `duplicate criterion name '${c.name}'` });
      }
      seen.add(c.name);
      try {
        resolveCriterionParams(c.kind, c.params);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['rubric', 'criteria', i, 'params'], message: errorText(e) });
      }
    });
    try {
      validateTaskParams(config.task.name, config.task.params);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['task', 'params'], message: errorText(e) });
    }
  });

export type RunConfig = z.infer<typeof RunConfigSchema>;
/** What a config file may contain: everything but `version` may be left out. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;

export class RunConfigError extends Error {
  override name = 'RunConfigError';
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The complete default config (a fresh object each call). */
export function defaultRunConfig(): RunConfig {
  return RunConfigSchema.parse({ version: RUN_CONFIG_VERSION });
}

// ---- error messages -------------------------------------------------------------------------------------

type Path = readonly PropertyKey[];

function formatPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Keys the default config has at `path` (array elements: the first default element), for "known keys". */
function knownKeys(path: Path): string[] {
  let node: unknown = defaultRunConfig();
  for (const p of path) {
    if (Array.isArray(node)) node = node[0];
    else if (isPlainObject(node)) node = node[String(p)];
    else return [];
  }
  if (Array.isArray(node)) node = node[0];
  if (!isPlainObject(node)) return [];
  const keys = Object.keys(node);
  return path.length === 0 ? [...keys.slice(0, 1), 'name', ...keys.slice(1)] : keys;
}

const numberRange = (issue: z.core.$ZodIssue, above: boolean): string | undefined => {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const op = above ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
  if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return `must be ${op} ${String(bound)}`;
  if (issue.origin === 'array') return `must have ${above ? 'at least' : 'at most'} ${String(bound)} item(s)`;
  if (issue.origin === 'string') {
    return above && Number(bound) === 1 ? 'must not be empty' : `must be ${above ? 'at least' : 'at most'} ${String(bound)} characters`;
  }
  return undefined;
};

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      return numberRange(issue, true) ?? issue.message;
    case 'too_big':
      return numberRange(issue, false) ?? issue.message;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be an integer';
      return issue.message.replace(/^Invalid input: /, '');
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys': {
      const known = knownKeys(issue.path);
      const keys = issue.keys.map((k) => `'${k}'`).join(', ');
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}` + (known.length ? ` (known: ${known.join(', ')})` : '');
    }
    default:
      return issue.message;
  }
}

function firstIssueMessage(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  const where = formatPath(issue.path);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${where ? `${where}: ` : 'run config: '}${issueMessage(issue)}${more}`;
}

// ---- parsing ----------------------------------------------------------------------------------------------

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Deepest nesting accepted in untrusted input (a run config nests about 6 levels; own data's info a few more). */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Refuse keys that could reach object prototypes, and nesting deeper than MAX_CONFIG_DEPTH, anywhere in
 * untrusted input (share URLs, files). Iterative, so hostile nesting cannot overflow the stack here, and
 * everything recursive after it (merge, the schema) only ever sees bounded depth.
 */
function checkKeys(root: unknown): void {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_CONFIG_DEPTH) {
      throw new RunConfigError(`${formatPath(path.slice(0, 6))}…: nested deeper than ${MAX_CONFIG_DEPTH} levels`);
    }
    // children pushed last-first, so they are checked in order (the first problem found is the first in the file)
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(value);
    for (const key of keys) if (FORBIDDEN_KEYS.has(key)) throw new RunConfigError(`${formatPath([...path, key])}: key not allowed`);
    for (let k = keys.length - 1; k >= 0; k--) stack.push({ value: (value as Record<string, unknown>)[keys[k]], path: [...path, keys[k]] });
  }
}

/**
 * Validate a run config (e.g. parsed JSON) and fill every default. Throws RunConfigError with one message
 * naming the first problem's field.
 */
export function parseRunConfig(json: unknown): RunConfig {
  if (!isPlainObject(json)) throw new RunConfigError('run config must be a JSON object');
  checkKeys(json);
  if (!('version' in json)) throw new RunConfigError(`version: missing (this build reads run config version ${RUN_CONFIG_VERSION})`);
  const version = json.version;
  if (version !== RUN_CONFIG_VERSION) {
    throw new RunConfigError(
      typeof version === 'number'
        ? `unsupported run config version ${version} (this build reads ${RUN_CONFIG_VERSION})`
        : `version: must be the number ${RUN_CONFIG_VERSION}`,
    );
  }
  const result = RunConfigSchema.safeParse(json);
  if (!result.success) throw new RunConfigError(firstIssueMessage(result.error.issues));
  return result.data;
}

// ---- minimal forms ---------------------------------------------------------------------------------------

const SAME = Symbol('same');

function minimal(value: unknown, def: unknown): unknown {
  if (isPlainObject(value) && isPlainObject(def)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) {
      const m = minimal(value[k], def[k]);
      if (m !== SAME) out[k] = m;
    }
    return Object.keys(out).length ? out : SAME;
  }
  if (value === undefined || deepEqual(value, def)) return SAME;
  return structuredClone(value);
}

/**
 * The smallest object that `mergeWithDefaults` turns back into `config`: `version` plus every field that
 * differs from the default (arrays are kept whole when they differ). Used by share URLs.
 */
export function nonDefaultValues(config: RunConfig): RunConfigInput {
  const m = minimal(config, defaultRunConfig());
  return { version: config.version, ...(m === SAME ? {} : (m as object)) };
}

function merge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

/** Inverse of `nonDefaultValues`: deep-merge a partial config over the defaults (arrays replace), then validate. */
export function mergeWithDefaults(partial: unknown): RunConfig {
  if (!isPlainObject(partial)) throw new RunConfigError('run config must be a JSON object');
  checkKeys(partial);
  return parseRunConfig(merge(defaultRunConfig(), partial));
}
