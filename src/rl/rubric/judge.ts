// A small client for OpenAI-compatible chat completions (POST {baseUrl}/chat/completions), used by the LLM
// judge: temperature 0, a timeout per attempt (AbortController), retries with exponential backoff on network
// errors, timeouts, 408/409/429 and 5xx (honouring Retry-After), and messages that say what to fix. The API
// key goes only into the Authorization header: it is redacted from every message this file produces, even
// when a server echoes it back.

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  baseUrl: string;
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  /** Per attempt, in milliseconds. */
  timeoutMs: number;
  /** Extra attempts after the first one fails in a retryable way. */
  retries: number;
  /** First backoff delay in milliseconds; doubles each retry (capped at 8 s). */
  retryDelayMs: number;
}

export interface ChatClientEnv {
  apiKey?: string;
  fetch?: typeof fetch;
  /** Waits between retries (tests may shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

export class JudgeError extends Error {
  override name = 'JudgeError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const MAX_BACKOFF_MS = 8000;
const MAX_SNIPPET = 200;

/** The chat-completions endpoint for a base URL ("https://host/v1" -> "https://host/v1/chat/completions"). */
export function chatCompletionsUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
}

/**
 * Check a judge base URL: http(s), no user:password@ and no query string or fragment (a key must never
 * travel in a URL, which ends up in configs, share links and logs). Throws naming the problem.
 */
export function validateBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`baseUrl '${baseUrl.slice(0, 100)}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('baseUrl must start with http:// or https://');
  if (url.username || url.password) throw new Error('baseUrl must not contain a user name or password: the API key is stored apart from the config');
  if (url.search || url.hash || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new Error('baseUrl must not have a query string or fragment: the API key is stored apart from the config');
  }
}

/** Replace every occurrence of the key in a message. */
export function redact(message: string, apiKey: string | undefined): string {
  return apiKey ? message.split(apiKey).join('[redacted]') : message;
}

function snippet(text: string): string {
  const s = text.replace(/\s+/g, ' ').trim();
  return s.length > MAX_SNIPPET ? `${s.slice(0, MAX_SNIPPET)}…` : s;
}

/** The most useful line of an error body: OpenAI-style {"error":{"message":...}} or the text itself. */
function errorDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const err = (parsed as { error?: unknown })?.error;
    const message = typeof err === 'string' ? err : (err as { message?: unknown })?.message;
    if (typeof message === 'string') return snippet(message);
  } catch {
    // not JSON: show the text
  }
  return snippet(body);
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_BACKOFF_MS) : undefined;
}

async function attempt(req: ChatRequest, env: ChatClientEnv): Promise<string> {
  const url = chatCompletionsUrl(req.baseUrl);
  const doFetch = env.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (env.apiKey) headers.authorization = `Bearer ${env.apiKey}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  let res: Response;
  let body: string;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: req.model, messages: req.messages, temperature: 0, max_tokens: req.maxTokens }),
      signal: controller.signal,
    });
    body = await res.text();
  } catch (e) {
    if (controller.signal.aborted) throw new JudgeError(`no answer from ${url} within ${req.timeoutMs} ms`, true);
    const cause = (e as { cause?: { code?: unknown } })?.cause?.code;
    throw new JudgeError(`cannot reach ${url}${cause ? ` (${String(cause)})` : e instanceof Error ? ` (${e.message})` : ''}`, true);
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 401 || res.status === 403) {
    throw new JudgeError(
      `${res.status} from ${url}: the API key was refused or is missing (CLI: set GRPO_JUDGE_API_KEY; browser: save the judge key in settings)` +
        (body ? `: ${errorDetail(body)}` : ''),
      false,
    );
  }
  if (!res.ok) {
    const retryable = res.status === 408 || res.status === 409 || res.status === 429 || res.status >= 500;
    const hint = res.status === 404 ? ' (check baseUrl and model)' : '';
    throw new JudgeError(`${res.status} from ${url}${hint}${body ? `: ${errorDetail(body)}` : ''}`, retryable, retryAfterMs(res.headers.get('retry-after')));
  }
  let content: unknown;
  try {
    content = (JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  } catch {
    throw new JudgeError(`malformed response from ${url}: not JSON: ${snippet(body)}`, false);
  }
  if (typeof content !== 'string') throw new JudgeError(`malformed response from ${url}: no choices[0].message.content`, false);
  return content;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One chat completion; resolves to the assistant's text. Rejects with a JudgeError whose message names the
 * URL, the status and the server's own explanation, with the key redacted.
 */
export async function chatCompletion(req: ChatRequest, env: ChatClientEnv = {}): Promise<string> {
  const sleep = env.sleep ?? defaultSleep;
  for (let k = 0; ; k++) {
    try {
      return await attempt(req, env);
    } catch (e) {
      const err = e instanceof JudgeError ? e : new JudgeError(e instanceof Error ? e.message : String(e), false);
      const message = redact(err.message, env.apiKey);
      if (!err.retryable || k >= req.retries) {
        throw new JudgeError(k > 0 ? `${message} (after ${k + 1} attempts)` : message, false);
      }
      await sleep(err.retryAfterMs ?? Math.min(req.retryDelayMs * 2 ** k, MAX_BACKOFF_MS));
    }
  }
}

/**
 * Read a judge's verdict as a score in [0, 1]. 'number': "Score: 7" (or "7/10", or the first number in the
 * reply) divided by maxScore; a number outside [0, maxScore] is an error. 'yes_no': the first word, yes/true/
 * correct -> 1, no/false/incorrect -> 0. Throws when the reply holds no verdict.
 */
export function parseJudgeScore(reply: string, mode: 'number' | 'yes_no', maxScore: number): number {
  const text = reply.slice(0, 10_000);
  if (mode === 'yes_no') {
    const first = /[A-Za-z]+/.exec(text)?.[0].toLowerCase();
    if (first === 'yes' || first === 'true' || first === 'correct') return 1;
    if (first === 'no' || first === 'false' || first === 'incorrect') return 0;
    throw new Error(`judge reply is not yes or no: '${snippet(text)}'`);
  }
  const labelled = /score\s*(?:[:=]\s*)?(?:\*+\s*)?(-?\d+(?:\.\d+)?)/i.exec(text); // unambiguous: linear time
  const first = labelled ?? /-?\d+(?:\.\d+)?/.exec(text);
  if (!first) throw new Error(`judge reply has no score: '${snippet(text)}'`);
  const value = Number(first[1] ?? first[0]);
  if (!(value >= 0 && value <= maxScore)) throw new Error(`judge score ${value} is outside 0-${maxScore}`);
  return value / maxScore;
}
