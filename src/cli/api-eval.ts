// `grpo-playground eval --api-base URL --api-model NAME`: score a model behind an OpenAI-compatible endpoint on
// the run's task and rubric (src/rl/api-eval.ts), print the metrics and a few completions, and with --log write
// JSON lines: {"type":"eval","step":0,"model":...,metrics} like the trainer's eval lines, then one
// {"type":"sample",...} per completion. The key comes from an environment variable (OPENAI_API_KEY or
// --api-key-env NAME) and is never printed: every message is redacted.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { evaluateWithApi, type ApiEvalResult } from '../rl/api-eval.ts';
import { redact, validateBaseUrl } from '../rl/rubric/judge.ts';
import { envJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import { Rubric } from '../rl/rubric/rubric.ts';
import { createTask } from '../rl/tasks/index.ts';
import { CliError, loadRunConfig, parseCount, type ConfigFlags } from './load-config.ts';

export const DEFAULT_API_KEY_ENV = 'OPENAI_API_KEY';

export interface ApiEvalFlags extends ConfigFlags {
  apiBase: string;
  apiModel?: string;
  apiKeyEnv?: string;
  samples?: number;
  completions?: string;
  temperature?: string;
  topP?: string;
  maxTokens?: string;
  concurrency?: string;
  timeoutMs?: string;
  retries?: string;
  log?: string;
  quiet?: boolean;
}

function parseUnit(flag: string, value: string, max: number): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v) || v < 0 || v > max) throw new CliError(`${flag} must be a number from 0 to ${max}, got "${value}"`);
  return v;
}

export async function apiEvalCommand(flags: ApiEvalFlags, env: Readonly<Record<string, string | undefined>> = process.env): Promise<ApiEvalResult> {
  if (!flags.apiModel) throw new CliError('--api-base needs --api-model NAME (the model the endpoint serves)');
  try {
    validateBaseUrl(flags.apiBase);
  } catch (e) {
    throw new CliError(`--api-base: ${(e as Error).message}`);
  }
  const keyVar = flags.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyVar)) throw new CliError(`--api-key-env must name an environment variable, got "${keyVar.slice(0, 60)}"`);
  const apiKey = env[keyVar]?.trim() || undefined;
  if (flags.apiKeyEnv && !apiKey) throw new CliError(`--api-key-env ${keyVar}: that environment variable is empty or unset`);

  const config = await loadRunConfig(flags);
  const completions = flags.completions === undefined ? 1 : parseCount('--completions', flags.completions, 1);
  const temperature = flags.temperature === undefined ? (completions > 1 ? config.sampling.temperature : 0) : parseUnit('--temperature', flags.temperature, 2);
  const topP = flags.topP === undefined ? (temperature > 0 ? config.sampling.topP : 1) : parseUnit('--top-p', flags.topP, 1);
  if (topP === 0) throw new CliError('--top-p must be above 0');
  const maxTokens = flags.maxTokens === undefined ? config.eval.maxNewTokens : parseCount('--max-tokens', flags.maxTokens, 1);
  const concurrency = flags.concurrency === undefined ? 4 : parseCount('--concurrency', flags.concurrency, 1);
  const timeoutMs = flags.timeoutMs === undefined ? 60_000 : parseCount('--timeout-ms', flags.timeoutMs, 100);
  const retries = flags.retries === undefined ? 2 : parseCount('--retries', flags.retries, 0);

  const task = createTask(config.task.name, config.task.params);
  const rubric = new Rubric(config.rubric.criteria, undefined, { judgeKey: envJudgeKeyProvider(env) });
  try {
    await rubric.prepare();
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const rows = task.evalRows(flags.samples ?? config.task.evalSize);
  const log = flags.log ? openLog(flags.log) : null;
  const say = (line: string) => process.stderr.write(`${redact(line, apiKey)}\n`);
  if (!flags.quiet) say(`evaluating ${flags.apiModel} at ${flags.apiBase} on ${config.task.name}: ${rows.length} rows x ${completions} completion(s), temperature ${temperature}${apiKey ? `, key from ${keyVar}` : ', no key'}`);
  let result: ApiEvalResult;
  try {
    result = await evaluateWithApi(
      task,
      rubric,
      rows,
      completions,
      { baseUrl: flags.apiBase, model: flags.apiModel, apiKey, timeoutMs, retries, retryDelayMs: 500, concurrency },
      { temperature, topP, maxTokens, seed: config.seed, stop: config.sampling.stop },
      flags.quiet ? undefined : (done, total) => {
        if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) process.stderr.write(`  ${done}/${total} episodes\n`);
      },
    );
  } catch (e) {
    if (log !== null) closeSync(log);
    throw new CliError(redact((e as Error).message, apiKey));
  }
  if (result.failedEpisodes > 0) say(`warning: ${result.failedEpisodes} episode(s) failed and are left out of the means; first error: ${result.firstError}`);
  if (log !== null) {
    writeSync(log, JSON.stringify({ type: 'eval', step: 0, model: flags.apiModel, apiBase: flags.apiBase, completions, temperature, ...result.metrics }) + '\n');
    for (const s of result.samples) writeSync(log, JSON.stringify({ type: 'sample', ...s }) + '\n');
    closeSync(log);
  }
  console.log(`model ${flags.apiModel} (${flags.apiBase}) | task ${config.task.name} | ${rows.length} held-out rows x ${completions}`);
  console.log(Object.entries(result.metrics).map(([k, v]) => `${k.padEnd(40)} ${v.toFixed(4)}`).join('\n'));
  for (const s of result.samples.slice(0, 5)) {
    console.log(`  ${JSON.stringify(s.prompt)} -> ${JSON.stringify(s.completion)} (answer ${s.answer}, reward ${s.reward.toFixed(2)})`);
  }
  return result;
}

function openLog(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return openSync(path, 'w');
  } catch (e) {
    throw new CliError(`cannot write --log ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
