// Evaluate a model behind an OpenAI-compatible endpoint on a task and rubric: for each held-out row, N episodes
// (multi-turn tasks run their environment between the API model's turns), each scored by the rubric as the
// trainer scores rollouts; metrics use the trainer's eval names plus eval/pass@k (pass-at-k.ts). Requests go
// through the judge's client (judge.ts: timeout per attempt, retries with backoff, capped replies, the key
// redacted from every message); sampling settings ride on its request through a fetch wrapper, which also
// reads usage.completion_tokens from the reply as the judge reads it (no second read of the body).
import { hash32 } from '../engine/rng.ts';
import { environmentOf } from './envs/single-turn.ts';
import type { ChatMessage } from './envs/types.ts';
import { evalRewardErrorsMetric, evalRewardMeanMetric, METRIC } from './metrics.ts';
import { meanPassAtK, PASS_THRESHOLD, reportedKs } from './pass-at-k.ts';
import { chatCompletion, MAX_REPLY_BYTES, redact, validateBaseUrl, type ChatMessage as ApiMessage } from './rubric/judge.ts';
import { concurrencyLimit } from './rubric/kinds/llm-judge.ts';
import { scoreCriterion, type Rubric } from './rubric/rubric.ts';
import type { ScoreContext } from './rubric/types.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export interface ApiEndpoint {
  baseUrl: string;
  model: string;
  /** Sent only as the Bearer token; redacted from every error. */
  apiKey?: string;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export interface ApiSampling {
  temperature: number;
  topP: number;
  /** max_tokens per assistant turn. */
  maxTokens: number;
  /** Request seeds derive from it (servers that honour `seed` then repeat an evaluation). */
  seed: number;
  /** Cut each turn after the first of these, keeping it, as the trainer's sampling does (not sent: OpenAI drops the stop string). */
  stop: string[];
}

export interface ApiEvalSample {
  row: number;
  sample: number;
  prompt: string;
  completion: string;
  answer: string;
  reward: number;
  /** The task's correctness criterion (the accuracy). */
  correct: number;
  scores: Record<string, number>;
  turns: number;
}

export interface ApiEvalResult {
  metrics: Record<string, number>;
  samples: ApiEvalSample[];
  /** Episodes whose requests failed after retries (left out of every mean), and the first such error. */
  failedEpisodes: number;
  firstError?: string;
}

/** A correctness score at least this counts as a pass for pass@k (criteria may give partial credit). */
export { PASS_THRESHOLD } from './pass-at-k.ts';

/**
 * `completions` episodes per row. Fails (rejects) only when no episode succeeds; otherwise failed episodes are
 * counted in `failedEpisodes` and the metric eval/api_errors.
 */
export async function evaluateWithApi(
  task: Task,
  rubric: Rubric,
  rows: readonly TaskRow[],
  completions: number,
  endpoint: ApiEndpoint,
  sampling: ApiSampling,
  onEpisode?: (done: number, total: number) => void,
): Promise<ApiEvalResult> {
  validateBaseUrl(endpoint.baseUrl);
  const limit = concurrencyLimit(endpoint.concurrency);
  const total = rows.length * completions;
  let done = 0;
  const jobs = rows.flatMap((row, r) =>
    Array.from({ length: completions }, async (_, j) => {
      try {
        return { r, j, ok: await runEpisode(task, row, endpoint, sampling, hash32(sampling.seed ^ hash32(r * 4099 + j)), limit) };
      } catch (e) {
        return { r, j, error: redact(e instanceof Error ? e.message : String(e), endpoint.apiKey) };
      } finally {
        onEpisode?.(++done, total);
      }
    }),
  );
  const settled = await Promise.all(jobs);
  const failed = settled.filter((s) => s.error !== undefined);
  const ok = settled.filter((s) => s.ok !== undefined);
  if (ok.length === 0) throw new Error(`every request to ${endpoint.baseUrl} failed: ${failed[0]?.error ?? 'no rows'}`);

  const ctxs: ScoreContext[] = ok.map(({ r, ok: ep }) => ({
    prompt: rows[r].prompt,
    completion: ep!.text,
    answer: rows[r].answer,
    info: rows[r].info,
    messages: ep!.messages,
    state: ep!.state,
    completionTokens: ep!.completionTokens,
    maxNewTokens: sampling.maxTokens,
  }));
  // Accuracy does not depend on the reward (as in evaluate.ts): the rubric's own criterion of the task's
  // correctness kind, else that kind with default params scored beside the rubric.
  const own = rubric.criteria.find((c) => c.kind === task.correctnessCriterion)?.name;
  const [scored, standIn] = await Promise.all([
    rubric.scoreEach(ctxs),
    own === undefined ? scoreCriterion(rubric.criterionOfKind(task.correctnessCriterion), ctxs) : null,
  ]);
  const samples: ApiEvalSample[] = ok.map(({ r, j, ok: ep }, i) => ({
    row: r,
    sample: j,
    prompt: rows[r].prompt,
    completion: ep!.text,
    answer: rows[r].answer,
    reward: scored[i].total,
    correct: own !== undefined ? scored[i].scores[own] : standIn![i].score,
    scores: scored[i].scores,
    turns: ep!.turns,
  }));
  const n = samples.length;
  const metrics: Record<string, number> = {
    [METRIC.evalReward]: samples.reduce((a, s) => a + s.reward, 0) / n,
    [METRIC.evalAccuracy]: samples.reduce((a, s) => a + s.correct, 0) / n,
  };
  for (const name of rubric.names) {
    metrics[evalRewardMeanMetric(name)] = scored.reduce((a, s) => a + s.scores[name], 0) / n;
    const errors = scored.reduce((a, s) => a + s.errors[name], 0);
    if (errors > 0) metrics[evalRewardErrorsMetric(name)] = errors;
  }
  const perRow = rows.map((_, r) => {
    const mine = samples.filter((s) => s.row === r);
    return { n: mine.length, c: mine.filter((s) => s.correct >= PASS_THRESHOLD).length };
  });
  for (const k of reportedKs(completions)) {
    const v = meanPassAtK(perRow, k);
    if (Number.isFinite(v)) metrics[`eval/pass@${k}`] = v;
  }
  if (failed.length > 0) metrics['eval/api_errors'] = failed.length;
  samples.sort((a, b) => a.row - b.row || a.sample - b.sample);
  return { metrics, samples, failedEpisodes: failed.length, firstError: failed[0]?.error };
}

interface Episode {
  text: string;
  messages: ChatMessage[];
  state: Record<string, unknown> | undefined;
  completionTokens: number | undefined;
  turns: number;
}

/** One episode: the API model takes each assistant turn, the task's environment answers between turns. */
async function runEpisode(
  task: Task,
  row: TaskRow,
  endpoint: ApiEndpoint,
  sampling: ApiSampling,
  seed: number,
  limit: <T>(f: () => Promise<T>) => Promise<T>,
): Promise<Episode> {
  const env = environmentOf(task);
  const messages: ChatMessage[] = env.initialMessages(row).map((m) => ({ ...m }));
  let state: unknown = env.initialState(row);
  let text: string;
  let tokens: number | undefined = 0;
  let turn = 1;
  for (; ; turn++) {
    const usage: { completionTokens?: number } = {};
    const extra = { temperature: sampling.temperature, top_p: sampling.topP, seed: hash32(seed + turn) & 0x7fffffff };
    const reply = await limit(() =>
      chatCompletion(
        {
          baseUrl: endpoint.baseUrl,
          model: endpoint.model,
          messages: messages.map(toApiMessage),
          maxTokens: sampling.maxTokens,
          timeoutMs: endpoint.timeoutMs,
          retries: endpoint.retries,
          retryDelayMs: endpoint.retryDelayMs,
        },
        { apiKey: endpoint.apiKey, fetch: withSampling(endpoint.fetch ?? globalThis.fetch, extra, usage), sleep: endpoint.sleep },
      ),
    );
    text = cutAfterStop(reply, sampling.stop);
    tokens = tokens !== undefined && usage.completionTokens !== undefined ? tokens + usage.completionTokens : undefined;
    messages.push({ role: 'assistant', content: text });
    const next = await env.respond({ row, messages, state, turn });
    state = next.state;
    if (next.done || turn >= env.maxTurns) break;
    messages.push(...(next.messages ?? []));
  }
  const st = typeof state === 'object' && state !== null ? (state as Record<string, unknown>) : undefined;
  return { text, messages, state: st, completionTokens: tokens, turns: turn };
}

/** The API has system, user and assistant turns; a tool result (no tool_call_id here) travels as a user turn. */
function toApiMessage(m: ChatMessage): ApiMessage {
  return { role: m.role === 'tool' ? 'user' : m.role, content: m.content };
}

/** The text up to and including the earliest stop string (the trainer keeps the stop string in the completion). */
export function cutAfterStop(text: string, stop: readonly string[]): string {
  let end = -1;
  for (const s of stop) {
    const at = s.length > 0 ? text.indexOf(s) : -1;
    if (at !== -1 && (end === -1 || at + s.length < end)) end = at + s.length;
  }
  return end === -1 ? text : text.slice(0, end);
}

/**
 * A fetch that adds sampling fields to the judge client's JSON request (which sends temperature 0) and notes
 * usage.completion_tokens of a successful reply while the client reads it (at most MAX_REPLY_BYTES are seen).
 */
export function withSampling(base: typeof fetch, extra: Record<string, unknown>, usage: { completionTokens?: number }): typeof fetch {
  return async (input, init) => {
    const body = typeof init?.body === 'string' ? JSON.stringify({ ...(JSON.parse(init.body) as object), ...extra }) : init?.body;
    const res = await base(input, { ...init, body });
    if (!res.ok || !res.body || res.status === 204) return res;
    const decoder = new TextDecoder();
    let seen = '';
    const watch = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (seen.length < MAX_REPLY_BYTES) seen += decoder.decode(chunk, { stream: true });
        controller.enqueue(chunk);
      },
      flush() {
        try {
          const n = (JSON.parse(seen + decoder.decode()) as { usage?: { completion_tokens?: unknown } })?.usage?.completion_tokens;
          if (typeof n === 'number' && Number.isFinite(n)) usage.completionTokens = n;
        } catch {
          // not JSON: the client reports it
        }
      },
    });
    return new Response(res.body.pipeThrough(watch), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}
