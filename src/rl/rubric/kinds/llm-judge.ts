// llm_judge: asks a model behind an OpenAI-compatible chat-completions endpoint to grade the completion and
// reads its verdict as a score in [0, 1] (judge.ts). The run config holds baseUrl, model and the prompt
// template only; the API key comes from the host's JudgeKeyProvider (CriterionEnv): the key typed into the
// page (held in memory only) or GRPO_JUDGE_API_KEY in the CLI. Requests run at most `concurrency` at a time
// per criterion, and identical prompts are asked once (temperature 0). mode "group" sends all completions of a
// prompt in one request and reads one relative score per completion (judge-group.ts, as RULER does).

import { chatCompletion, parseJudgeScore, redact, validateBaseUrl, type ChatMessage } from '../judge.ts';
import { DEFAULT_GROUP_TEMPLATE, fillGroupTemplate, groupIndices, parseGroupScores } from '../judge-group.ts';
import { fillTemplate } from '../text.ts';
import type { Criterion, CriterionEnv, CriterionKind, CriterionParams, ScoreContext } from '../types.ts';

export const DEFAULT_JUDGE_TEMPLATE = `You are grading an answer.

Question:
{prompt}

Reference answer:
{answer}

Answer to grade:
{completion}

How correct is the answer to grade, compared with the reference? Reply with "Score: N", N an integer from 0 (wrong) to 10 (fully correct).`;

/** At most n of the wrapped tasks run at once; the rest wait in order. */
export function concurrencyLimit(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    while (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

const CACHE_SIZE = 4096;

export const llmJudge: CriterionKind = {
  kind: 'llm_judge',
  description:
    'A model behind an OpenAI-compatible endpoint grades the completion; its "Score: N" (or yes/no) becomes [0, 1]. Mode "group" ranks all completions of a prompt in one request (RULER).',
  params: {
    mode: {
      type: 'string',
      default: 'single',
      choices: ['single', 'group'],
      description: '"single": one request per completion, read with `parse`; "group": one request per prompt scores all its completions relative to each other, in [0, 1] (uses groupTemplate).',
    },
    baseUrl: { type: 'string', default: 'https://api.openai.com/v1', maxLength: 500, description: 'Endpoint base; requests go to {baseUrl}/chat/completions. Never put a key here.' },
    model: { type: 'string', default: 'gpt-4o-mini', maxLength: 200, description: 'Judge model name.' },
    template: { type: 'string', default: DEFAULT_JUDGE_TEMPLATE, maxLength: 10_000, description: 'User message; {prompt}, {completion} and {answer} are filled in.' },
    groupTemplate: {
      type: 'string',
      default: DEFAULT_GROUP_TEMPLATE,
      maxLength: 10_000,
      description: 'Mode "group": the user message; {prompt} and {answer} are filled in once, {completions} with every answer under a numbered header. The reply must be {"scores": [...]}.',
    },
    system: { type: 'string', default: '', maxLength: 5000, description: 'Optional system message.' },
    parse: { type: 'string', default: 'number', choices: ['number', 'yes_no'], description: '"number": "Score: N" / maxScore; "yes_no": yes -> 1, no -> 0.' },
    maxScore: { type: 'number', default: 10, min: 1e-9, description: 'The top of the judge\'s scale (parse "number").' },
    maxTokens: { type: 'number', default: 64, min: 1, max: 4096, integer: true, description: 'max_tokens of the judge reply (mode "group": per completion, so the request asks for maxTokens x the group size).' },
    timeoutMs: { type: 'number', default: 30_000, min: 100, max: 600_000, description: 'Timeout per request attempt, in milliseconds.' },
    retries: { type: 'number', default: 2, min: 0, max: 10, integer: true, description: 'Retries after a network error, timeout, 429 or 5xx (exponential backoff).' },
    retryDelayMs: { type: 'number', default: 500, min: 0, max: 60_000, description: 'First backoff delay; doubles each retry (Retry-After wins).' },
    concurrency: { type: 'number', default: 4, min: 1, max: 64, integer: true, description: 'Requests in flight at once.' },
  },
  validate(params) {
    validateBaseUrl(String(params.baseUrl));
    if (String(params.model).trim() === '') throw new Error("param 'model' must not be empty");
    if (params.mode === 'group') {
      if (!String(params.groupTemplate).includes('{completions}')) throw new Error("param 'groupTemplate' must contain {completions} (mode \"group\" sends every answer in one request)");
    } else if (!/\{completion\}/.test(String(params.template))) throw new Error("param 'template' must contain {completion}");
  },
  create(params: CriterionParams, env: CriterionEnv = {}): Criterion {
    const baseUrl = String(params.baseUrl);
    const template = String(params.template);
    const system = String(params.system);
    const mode = params.parse === 'yes_no' ? 'yes_no' : 'number';
    const maxScore = Number(params.maxScore);
    const request = {
      baseUrl,
      model: String(params.model),
      maxTokens: Number(params.maxTokens),
      timeoutMs: Number(params.timeoutMs),
      retries: Number(params.retries),
      retryDelayMs: Number(params.retryDelayMs),
    };
    const limit = concurrencyLimit(Number(params.concurrency));
    const cache = new Map<string, Promise<unknown>>();

    /** One request; `read` turns the reply into the result (and throws when the reply holds none). */
    const ask = async <T>(messages: ChatMessage[], maxTokens: number, read: (reply: string) => T): Promise<T> => {
      let apiKey: string | undefined;
      try {
        apiKey = (await env.judgeKey?.(baseUrl)) || undefined;
        const reply = await limit(() => chatCompletion({ ...request, maxTokens, messages }, { apiKey, fetch: env.fetch }));
        return read(reply);
      } catch (e) {
        // No `cause`: the original error is dropped on purpose, so no unredacted text travels on.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`judge: ${redact(e instanceof Error ? e.message : String(e), apiKey)}`);
      }
    };

    /** The same messages are asked once while the answer is pending or remembered; failures are forgotten. */
    const cached = <T>(messages: ChatMessage[], run: () => Promise<T>): Promise<T> => {
      const key = JSON.stringify(messages);
      let pending = cache.get(key) as Promise<T> | undefined;
      if (!pending) {
        pending = run();
        pending.catch(() => cache.delete(key));
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(key, pending);
      }
      return pending;
    };

    const withSystem = (content: string): ChatMessage[] => [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content }];

    if (params.mode === 'group') {
      const groupTemplate = String(params.groupTemplate);
      const scoreBatch = async (ctxs: readonly ScoreContext[]): Promise<(number | Error)[]> => {
        const out: (number | Error)[] = new Array(ctxs.length);
        await Promise.all(
          groupIndices(ctxs).map(async (group) => {
            const first = ctxs[group[0]];
            const messages = withSystem(fillGroupTemplate(groupTemplate, first.prompt, first.answer, group.map((i) => ctxs[i].completion)));
            try {
              const scores = await cached(messages, () => ask(messages, Math.min(request.maxTokens * group.length, 16_384), (r) => parseGroupScores(r, group.length)));
              group.forEach((i, k) => (out[i] = scores[k]));
            } catch (e) {
              const error = e instanceof Error ? e : new Error(String(e));
              group.forEach((i) => (out[i] = error));
            }
          }),
        );
        return out;
      };
      const scoreOne = async (ctx: ScoreContext): Promise<number> => {
        const [r] = await scoreBatch([ctx]);
        if (r instanceof Error) throw r;
        return r;
      };
      return Object.assign(scoreOne, { scoreBatch });
    }

    const score = (ctx: ScoreContext): Promise<number> => {
      const messages = withSystem(fillTemplate(template, ctx));
      return cached(messages, () => ask(messages, request.maxTokens, (r) => parseJudgeScore(r, mode, maxScore)));
    };
    return score;
  },
};
