// A run config as a runnable Python project for TRL or verifiers: the task's rows as JSONL (train in the
// trainer's order, the fixed held-out set as eval), the rubric as rubric.json with the criteria ported to Python
// (python/playground_rewards.py), a TRL script whose GRPOConfig is the run's (trl-config.ts) or a verifiers
// environment module, and a README saying what maps exactly and what does not. Pure: returns the files; the
// caller writes them (and copies a bundled model folder to model/).
import type { RunConfig } from '../config/schema.ts';
import { environmentOf } from '../envs/single-turn.ts';
import { isMultiTurnTask } from '../envs/types.ts';
import { resolveCriterionParams } from '../rubric/criteria.ts';
import { createTask } from '../tasks/index.ts';
import type { Task, TaskRow } from '../tasks/types.ts';
import checkRewardsPy from './python/check_rewards.py?raw';
import playgroundEnvPy from './python/playground_env.py?raw';
import playgroundRewardsPy from './python/playground_rewards.py?raw';
import trlRewardsPy from './python/trl_rewards.py?raw';
import { exportReadme } from './readme.ts';
import { trlScript } from './trl-script.ts';

export const EXPORT_TARGETS = ['trl', 'verifiers'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** Most training rows written (a run of many steps draws more; the README says so). */
export const MAX_TRAIN_ROWS = 200_000;

export interface ExportFile {
  path: string;
  text: string;
}

export interface ExportOptions {
  /** What the script loads: "model" (a folder copied beside it), or a Hub id "ORG/NAME". */
  model: string;
  /** Hub revision, when the run names one. */
  revision?: string;
}

/** The model the export trains: a bundled model is copied to model/, a Hub model is named by its id. */
export function exportModel(config: RunConfig): ExportOptions & { bundled: boolean } {
  const id = config.model.id;
  if (!id.startsWith('hf:')) return { model: 'model', bundled: true };
  const [repo, revision] = id.slice(3).split('@');
  return { model: repo, revision, bundled: false };
}

/** Rows as the TRL and verifiers datasets hold them: conversational prompt, answer, info as a JSON string. */
export function datasetRow(task: Task, row: TaskRow): Record<string, unknown> {
  return {
    prompt: environmentOf(task).initialMessages(row),
    answer: row.answer,
    info: JSON.stringify({ question: row.prompt, row_info: row.info ?? {} }),
  };
}

/** Training rows in the order the playground's trainer draws them (seeded by the run seed). */
export function trainRows(config: RunConfig, task: Task): TaskRow[] {
  const g = config.grpo;
  const rounds = g.dynamicSampling === 'resample' ? 1 + g.maxResampleRounds : 1;
  const n = Math.min(Math.max(1, config.steps) * g.promptsPerStep * rounds, MAX_TRAIN_ROWS);
  return Array.from({ length: n }, (_, i) => task.trainRow(config.seed, i));
}

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

export function buildExport(config: RunConfig, target: ExportTarget, opts: ExportOptions = exportModel(config)): ExportFile[] {
  const task = createTask(config.task.name, config.task.params);
  const train = trainRows(config, task);
  const held = task.evalRows(config.task.evalSize);
  const rubric = {
    criteria: config.rubric.criteria.map((c) => ({ name: c.name, kind: c.kind, weight: c.weight, params: resolvedParams(c) })),
    max_new_tokens: config.sampling.maxNewTokens,
    correctness_criterion: task.correctnessCriterion,
  };
  const files: ExportFile[] = [
    { path: 'run.json', text: JSON.stringify(config, null, 2) + '\n' },
    { path: 'rubric.json', text: JSON.stringify(rubric, null, 2) + '\n' },
    { path: 'data/train.jsonl', text: jsonl(train.map((r) => datasetRow(task, r))) },
    { path: 'data/eval.jsonl', text: jsonl(held.map((r) => datasetRow(task, r))) },
    { path: 'playground_rewards.py', text: playgroundRewardsPy },
    { path: 'check_rewards.py', text: checkRewardsPy },
  ];
  const info = { trainRows: train.length, evalRows: held.length, multiTurn: isMultiTurnTask(task), truncatedRows: train.length === MAX_TRAIN_ROWS };
  if (target === 'trl') {
    files.push({ path: 'trl_rewards.py', text: trlRewardsPy });
    files.push({ path: 'train_trl.py', text: trlScript(config, opts, info.multiTurn) });
    files.push({ path: 'requirements.txt', text: 'trl>=0.23\npeft\ndatasets\naccelerate\n# optional, for fast rollouts: vllm\n' });
  } else {
    files.push({ path: 'playground_env.py', text: playgroundEnvPy });
    files.push({ path: 'pyproject.toml', text: verifiersPyproject() });
  }
  files.push({ path: 'README.md', text: exportReadme(config, target, opts, info) });
  return files;
}


function resolvedParams(c: RunConfig['rubric']['criteria'][number]) {
  return resolveCriterionParams(c.kind, c.params);
}

function verifiersPyproject(): string {
  return `[project]
name = "playground-env"
version = "0.1.0"
description = "A GRPO Playground run as a verifiers environment"
requires-python = ">=3.10"
dependencies = ["verifiers", "datasets"]

[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[tool.setuptools]
py-modules = ["playground_env", "playground_rewards"]
`;
}
