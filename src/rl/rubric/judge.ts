// A small client for OpenAI-compatible chat completions (POST {baseUrl}/chat/completions), used by the LLM
// judge: temperature 0, a timeout per attempt (AbortController), retries with exponential backoff on network
// errors, timeouts, 408/409/429 and 5xx (honouring Retry-After), and messages that say what to fix. The API
// key goes only into the Authorization header: it is redacted from every message this file produces, even
// when a server echoes it back, in part, or cut at a length limit (redaction happens before any cutting).
// Hostile servers are contained: a reply is read as a stream and refused past MAX_REPLY_BYTES (an error body is
// read up to MAX_ERROR_BODY_BYTES), a gzip bomb included; redirects are not followed to another origin (the
// prompts and completions would go to a server nobody named), nor at all where the target cannot be read.

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
/** Most bytes of a successful reply read (a judge's verdict is a few hundred); more is refused. */
export const MAX_REPLY_BYTES = 1024 * 1024;
/** Most bytes of an error body read (only its first line is shown). */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Same-origin 307/308 redirects followed at most. */
const MAX_REDIRECTS = 3;

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

/** Fragments of the key at least this long are redacted too (a key cut in half is still a secret). */
const MIN_FRAGMENT = 8;
/** A text that starts with the key's tail or ends with its head (cut at a limit) is redacted from this length. */
const MIN_EDGE = 4;

/**
 * Replace every occurrence of the key in a message, and every fragment of it: any MIN_FRAGMENT characters of
 * the key, and a start or end of the text that is the key's tail or head (the key cut by a length limit).
 */
export function redact(message: string, apiKey: string | undefined): string {
  if (!apiKey) return message;
  const hidden = new Uint8Array(message.length);
  for (let i = message.indexOf(apiKey); i !== -1; i = message.indexOf(apiKey, i + 1)) hidden.fill(1, i, i + apiKey.length);
  if (apiKey.length >= MIN_FRAGMENT) {
    const pieces = new Set<string>();
    for (let i = 0; i + MIN_FRAGMENT <= apiKey.length; i++) pieces.add(apiKey.slice(i, i + MIN_FRAGMENT));
    for (let i = 0; i + MIN_FRAGMENT <= message.length; i++) if (pieces.has(message.slice(i, i + MIN_FRAGMENT))) hidden.fill(1, i, i + MIN_FRAGMENT);
  }
  const cut = message.endsWith('…') ? 1 : 0; // a snippet cut mid-key ends "sk-ab…"
  const body = message.length - cut;
  for (let n = Math.min(apiKey.length, body); n >= Math.min(MIN_EDGE, apiKey.length); n--) {
    if (message.startsWith(apiKey.slice(0, n), body - n)) hidden.fill(1, body - n, body);
    if (message.startsWith(apiKey.slice(-n))) hidden.fill(1, 0, n);
  }
  let out = '';
  for (let i = 0; i < message.length; i++) {
    if (!hidden[i]) out += message[i];
    else if (i === 0 || !hidden[i - 1]) out += '[redacted]';
  }
  return out;
}

function snippet(text: string): string {
  // eslint-disable-next-line no-control-regex
  const s = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return s.length > MAX_SNIPPET ? `${s.slice(0, MAX_SNIPPET)}…` : s;
}

/** The most useful line of an error body: OpenAI-style {"error":{"message":...}} or the text itself, key redacted before cutting. */
function errorDetail(body: string, apiKey: string | undefined): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const err = (parsed as { error?: unknown })?.error;
    const message = typeof err === 'string' ? err : (err as { message?: unknown })?.message;
    if (typeof message === 'string') return snippet(redact(message, apiKey));
  } catch {
    // not JSON: show the text
  }
  return snippet(redact(body, apiKey));
}

/** The body as text, reading at most `maxBytes` (the rest is never downloaded or decompressed). */
async function readCapped(res: Response, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) {
    const text = await res.text();
    return { text: text.slice(0, maxBytes), truncated: text.length > maxBytes };
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), truncated: false };
    if (bytes + value.byteLength > maxBytes) {
      text += decoder.decode(value.subarray(0, maxBytes - bytes));
      await reader.cancel().catch(() => {});
      return { text, truncated: true };
    }
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_BACKOFF_MS) : undefined;
}

function isRedirect(res: Response): boolean {
  return res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400 && res.status !== 304);
}

/**
 * POST to `url`, following only same-origin 307/308 redirects (which keep the method and body). A redirect to
 * another origin, of another kind, or whose target the browser hides, is an error naming it.
 */
async function post(url: string, init: RequestInit, doFetch: typeof fetch): Promise<Response> {
  let at = url;
  for (let hop = 0; ; hop++) {
    const res = await doFetch(at, { ...init, redirect: 'manual' });
    if (!isRedirect(res)) return res;
    await res.body?.cancel().catch(() => {});
    const location = res.headers.get('location');
    const target = location ? new URL(location, at) : null;
    const origin = new URL(url).origin;
    if (target === null) {
      throw new JudgeError(`${url} redirected (${res.status || 'redirect'}) and its target cannot be read here: set baseUrl to the address it redirects to`, false);
    }
    const shown = target.href.slice(0, 200);
    if (target.origin !== origin) {
      throw new JudgeError(`${url} redirected to another origin (${shown}): not followed, so prompts and completions go only to the baseUrl you set`, false);
    }
    if ((res.status !== 307 && res.status !== 308) || hop >= MAX_REDIRECTS) {
      throw new JudgeError(`${url} redirected (${res.status} to ${shown}): set baseUrl to the final address`, false);
    }
    at = target.href;
  }
}

async function attempt(req: ChatRequest, env: ChatClientEnv): Promise<string> {
  const url = chatCompletionsUrl(req.baseUrl);
  const doFetch = env.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (env.apiKey) headers.authorization = `Bearer ${env.apiKey}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), req.timeoutMs);
  let res: Response;
  let body: { text: string; truncated: boolean };
  try {
    res = await post(
      url,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: req.model, messages: req.messages, temperature: 0, max_tokens: req.maxTokens }),
        signal: controller.signal,
      },
      doFetch,
    );
    const declared = Number(res.headers.get('content-length'));
    if (res.ok && declared > MAX_REPLY_BYTES) {
      await res.body?.cancel().catch(() => {});
      throw new JudgeError(`reply from ${url} is too large (${declared} bytes, the limit is ${MAX_REPLY_BYTES}): refused`, false);
    }
    body = await readCapped(res, res.ok ? MAX_REPLY_BYTES : MAX_ERROR_BODY_BYTES);
  } catch (e) {
    if (e instanceof JudgeError) throw e;
    if (controller.signal.aborted) throw new JudgeError(`no answer from ${url} within ${req.timeoutMs} ms`, true);
    const cause = (e as { cause?: { code?: unknown } })?.cause?.code;
    throw new JudgeError(`cannot reach ${url}${cause ? ` (${String(cause)})` : e instanceof Error ? ` (${e.message})` : ''}`, true);
  } finally {
    clearTimeout(timer);
  }
  const detail = body.text ? `: ${errorDetail(body.text, env.apiKey)}` : '';
  if (res.status === 401 || res.status === 403) {
    throw new JudgeError(
      `${res.status} from ${url}: the API key was refused or is missing (CLI: set GRPO_JUDGE_API_KEY; browser: save the judge key in settings)${detail}`,
      false,
    );
  }
  if (!res.ok) {
    const retryable = res.status === 408 || res.status === 409 || res.status === 429 || res.status >= 500;
    const hint = res.status === 404 ? ' (check baseUrl and model)' : '';
    throw new JudgeError(`${res.status} from ${url}${hint}${detail}`, retryable, retryAfterMs(res.headers.get('retry-after')));
  }
  if (body.truncated) throw new JudgeError(`reply from ${url} is larger than ${MAX_REPLY_BYTES} bytes: refused`, false);
  let content: unknown;
  try {
    content = (JSON.parse(body.text) as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  } catch {
    throw new JudgeError(`malformed response from ${url}: not JSON: ${snippet(redact(body.text.slice(0, 4 * MAX_SNIPPET), env.apiKey))}`, false);
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
  // unambiguous patterns: linear time. The exponent is read, so "Score: 1e308" is out of range, not 1.
  const labelled = /score\s*(?:[:=]\s*)?(?:\*+\s*)?(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)/i.exec(text);
  const first = labelled ?? /-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/i.exec(text);
  if (!first) throw new Error(`judge reply has no score: '${snippet(text)}'`);
  const value = Number(first[1] ?? first[0]);
  if (!(value >= 0 && value <= maxScore)) throw new Error(`judge score ${value} is outside 0-${maxScore}`);
  return value / maxScore;
}
