// llm_judge: asks a model behind an OpenAI-compatible chat-completions endpoint to grade the completion and
// reads its verdict as a score in [0, 1] (judge.ts). The run config holds baseUrl, model and the prompt
// template only; the API key comes from the host's JudgeKeyProvider (CriterionEnv): the key typed into the
// page (held in memory only) or GRPO_JUDGE_API_KEY in the CLI. Requests run at most `concurrency` at a time
// per criterion, and identical prompts are asked once (temperature 0).

import { chatCompletion, parseJudgeScore, redact, validateBaseUrl, type ChatMessage } from '../judge.ts';
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
  description: 'A model behind an OpenAI-compatible endpoint grades the completion; its "Score: N" (or yes/no) becomes [0, 1].',
  params: {
    baseUrl: { type: 'string', default: 'https://api.openai.com/v1', maxLength: 500, description: 'Endpoint base; requests go to {baseUrl}/chat/completions. Never put a key here.' },
    model: { type: 'string', default: 'gpt-4o-mini', maxLength: 200, description: 'Judge model name.' },
    template: { type: 'string', default: DEFAULT_JUDGE_TEMPLATE, maxLength: 10_000, description: 'User message; {prompt}, {completion} and {answer} are filled in.' },
    system: { type: 'string', default: '', maxLength: 5000, description: 'Optional system message.' },
    parse: { type: 'string', default: 'number', choices: ['number', 'yes_no'], description: '"number": "Score: N" / maxScore; "yes_no": yes -> 1, no -> 0.' },
    maxScore: { type: 'number', default: 10, min: 1e-9, description: 'The top of the judge\'s scale (parse "number").' },
    maxTokens: { type: 'number', default: 64, min: 1, max: 4096, integer: true, description: 'max_tokens of the judge reply.' },
    timeoutMs: { type: 'number', default: 30_000, min: 100, max: 600_000, description: 'Timeout per request attempt, in milliseconds.' },
    retries: { type: 'number', default: 2, min: 0, max: 10, integer: true, description: 'Retries after a network error, timeout, 429 or 5xx (exponential backoff).' },
    retryDelayMs: { type: 'number', default: 500, min: 0, max: 60_000, description: 'First backoff delay; doubles each retry (Retry-After wins).' },
    concurrency: { type: 'number', default: 4, min: 1, max: 64, integer: true, description: 'Requests in flight at once.' },
  },
  validate(params) {
    validateBaseUrl(String(params.baseUrl));
    if (String(params.model).trim() === '') throw new Error("param 'model' must not be empty");
    if (!/\{completion\}/.test(String(params.template))) throw new Error("param 'template' must contain {completion}");
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
    const cache = new Map<string, Promise<number>>();

    const ask = async (messages: ChatMessage[]): Promise<number> => {
      let apiKey: string | undefined;
      try {
        apiKey = (await env.judgeKey?.(baseUrl)) || undefined;
        const reply = await limit(() => chatCompletion({ ...request, messages }, { apiKey, fetch: env.fetch }));
        return parseJudgeScore(reply, mode, maxScore);
      } catch (e) {
        // No `cause`: the original error is dropped on purpose, so no unredacted text travels on.
        // eslint-disable-next-line preserve-caught-error
        throw new Error(`judge: ${redact(e instanceof Error ? e.message : String(e), apiKey)}`);
      }
    };

    const score = (ctx: ScoreContext): Promise<number> => {
      const messages: ChatMessage[] = [];
      if (system) messages.push({ role: 'system', content: system });
      messages.push({ role: 'user', content: fillTemplate(template, ctx) });
      const key = JSON.stringify(messages);
      let pending = cache.get(key);
      if (!pending) {
        pending = ask(messages);
        pending.catch(() => cache.delete(key)); // failures are not remembered
        if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(key, pending);
      }
      return pending;
    };
    return score;
  },
};
