// `grpo-playground rubric suggest`: ask a model behind an OpenAI-compatible endpoint to propose rubric criteria
// for the run's task (src/rl/rubric/assistant.ts), print each proposal with its reason and its scores on sample
// completions, and the rejected ones with why. Nothing is applied unless asked: --accept names the criteria to
// keep (or "all"), and --out writes the run config with them appended to its rubric. Examples are the task's
// first training rows, or --examples FILE (JSON lines: {"prompt", "answer"?, "completions"?: [...]}).
import { readFile, writeFile } from 'node:fs/promises';
import { parseRunConfig } from '../rl/config/schema.ts';
import { acceptProposals, DEFAULT_ASSISTANT_LIMITS, suggestRubric, type AssistantExample, type Suggestion } from '../rl/rubric/assistant.ts';
import { redact, validateBaseUrl } from '../rl/rubric/judge.ts';
import { envJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import { Rubric } from '../rl/rubric/rubric.ts';
import { createTask } from '../rl/tasks/index.ts';
import { DEFAULT_API_KEY_ENV } from './api-eval.ts';
import { CliError, loadRunConfig, parseCount, type ConfigFlags } from './load-config.ts';

export interface RubricSuggestFlags extends ConfigFlags {
  task: string;
  apiBase: string;
  apiModel: string;
  apiKeyEnv?: string;
  examples?: string;
  accept?: string;
  out?: string;
  callJudge?: boolean;
  timeoutMs?: string;
  retries?: string;
}

const MAX_EXAMPLES = 8;

async function readExamples(path: string): Promise<AssistantExample[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read --examples ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new CliError(`--examples ${path} holds no examples`);
  return lines.slice(0, MAX_EXAMPLES).map((line, i) => {
    let x: unknown;
    try {
      x = JSON.parse(line);
    } catch (e) {
      throw new CliError(`--examples ${path} line ${i + 1} is not valid JSON: ${(e as Error).message}`);
    }
    const o = x as { prompt?: unknown; answer?: unknown; completions?: unknown };
    const completions = o?.completions;
    if (typeof o?.prompt !== 'string' || (o.answer !== undefined && typeof o.answer !== 'string') || (completions !== undefined && !(Array.isArray(completions) && completions.every((c) => typeof c === 'string')))) {
      throw new CliError(`--examples ${path} line ${i + 1} needs "prompt" (a string), optional "answer" (a string) and "completions" (strings)`);
    }
    return { prompt: o.prompt, answer: o.answer as string | undefined, completions: completions as string[] | undefined };
  });
}

/** The completions each proposal is previewed on: the examples' own, else the reference in the <answer> format and bare. */
function previewContexts(examples: readonly AssistantExample[]) {
  return examples.flatMap((e) => {
    const answer = e.answer ?? '';
    const completions = e.completions?.length ? e.completions : e.answer !== undefined ? [`<answer>${answer}</answer>`, answer] : [];
    return completions.map((completion) => ({ prompt: e.prompt, answer, completion }));
  });
}

/** Which proposals --accept keeps: "all", "none", or comma-separated names (each must be a proposal). */
function acceptedMask(accept: string | undefined, s: Suggestion): boolean[] {
  if (accept === undefined || accept === 'none') return s.proposals.map(() => false);
  if (accept === 'all') return s.proposals.map(() => true);
  const names = accept.split(',').map((n) => n.trim()).filter(Boolean);
  const known = s.proposals.map((p) => p.criterion.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length) throw new CliError(`--accept ${unknown[0]}: not among the valid proposals (${known.join(', ') || 'none'})`);
  return known.map((n) => names.includes(n));
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(3));

export async function rubricSuggestCommand(flags: RubricSuggestFlags, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Suggestion> {
  try {
    validateBaseUrl(flags.apiBase);
  } catch (e) {
    throw new CliError(`--api-base: ${(e as Error).message}`);
  }
  if (!flags.task.trim()) throw new CliError('--task must describe the task');
  if (flags.out !== undefined && flags.accept === undefined) throw new CliError('--out needs --accept (names of the proposals to keep, or "all")');
  const keyVar = flags.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(keyVar)) throw new CliError(`--api-key-env must name an environment variable, got "${keyVar.slice(0, 60)}"`);
  const apiKey = env[keyVar]?.trim() || undefined;
  if (flags.apiKeyEnv && !apiKey) throw new CliError(`--api-key-env ${keyVar}: that environment variable is empty or unset`);

  const config = await loadRunConfig(flags);
  const task = createTask(config.task.name, config.task.params);
  const examples = flags.examples
    ? await readExamples(flags.examples)
    : Array.from({ length: 3 }, (_, i) => task.trainRow(config.seed, i)).map((r) => ({ prompt: r.prompt, answer: r.answer }));
  const endpoint = {
    ...DEFAULT_ASSISTANT_LIMITS,
    baseUrl: flags.apiBase,
    model: flags.apiModel,
    ...(flags.timeoutMs !== undefined ? { timeoutMs: parseCount('--timeout-ms', flags.timeoutMs, 100) } : {}),
    ...(flags.retries !== undefined ? { retries: parseCount('--retries', flags.retries, 0) } : {}),
  };
  let s: Suggestion;
  try {
    s = await suggestRubric({ task: flags.task, examples, existing: config.rubric.criteria }, endpoint, { apiKey });
  } catch (e) {
    throw new CliError(redact((e as Error).message, apiKey));
  }
  const accepted = acceptedMask(flags.accept, s);

  const ctxs = previewContexts(examples);
  console.log(`${s.proposals.length} proposed criteria from ${flags.apiModel}${s.rejected.length ? `, ${s.rejected.length} rejected` : ''}; previewed on ${ctxs.length} sample completions:`);
  for (const [i, p] of s.proposals.entries()) {
    const c = p.criterion;
    console.log(`${accepted[i] ? '+' : ' '} ${c.name}  ${c.kind}  weight ${fmt(c.weight)}  params ${JSON.stringify(c.params)}`);
    console.log(`    reason: ${p.reason}`);
    if (c.kind === 'llm_judge' && !flags.callJudge) {
      console.log('    scores: not called (each sample is an API request): add --call-judge');
      continue;
    }
    const rubric = new Rubric([c], undefined, { judgeKey: envJudgeKeyProvider(env) });
    const scored = await rubric.scoreEach(ctxs);
    console.log(`    scores: ${scored.map((r, k) => `${JSON.stringify(ctxs[k].completion.slice(0, 30))} ${r.errors[c.name] ? `error (${r.errorMessages[c.name]})` : fmt(r.scores[c.name])}`).join(' | ')}`);
  }
  for (const r of s.rejected) console.log(`  rejected #${r.index + 1}${r.name ? ` ${r.name}` : ''}: ${r.error}`);

  if (flags.out !== undefined) {
    let out;
    try {
      out = parseRunConfig({ ...config, rubric: { criteria: acceptProposals(config.rubric.criteria, s.proposals, accepted) } });
    } catch (e) {
      throw new CliError(`the accepted rubric is not a valid run config: ${(e as Error).message}`);
    }
    await writeFile(flags.out, JSON.stringify(out, null, 2) + '\n');
    console.log(`wrote ${flags.out}: ${out.rubric.criteria.map((c) => c.name).join(', ')}`);
  } else if (flags.accept === undefined) {
    console.log('nothing applied: --accept NAMES|all with --out FILE writes the run config with them');
  }
  return s;
}
