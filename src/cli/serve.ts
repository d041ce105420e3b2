// `grpo-playground serve`: an OpenAI-compatible HTTP server over the project's engine. Routes: GET /v1/models,
// GET /v1/models/{id}, POST /v1/chat/completions (JSON or, with stream: true, server-sent events), GET /health.
// Prompts render with the model's chat template; requests decode through the bounded DecodeQueue
// (serve-engine.ts). Bad requests get a 4xx with OpenAI's error body; it binds 127.0.0.1 unless told otherwise.
// Streaming sends the role chunk at once and the tokens when the decode that carries the request ends (the
// engine's generate() reports whole completions).
import { applyCors, parseAllowedOrigins, type AllowedOrigins } from './serve-cors.ts';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Backend, TensorLike } from '../engine/backend.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import type { Tokenizer } from '../engine/tokenizer.ts';
import { encodeMessages, type ChatCodec } from '../rl/envs/conversation.ts';
import type { ChatMessage } from '../rl/envs/types.ts';
import { createBackend, type BackendChoice } from './backend.ts';
import { CliError, parseCount } from './load-config.ts';
import { loadModel } from './models.ts';
import { DEFAULT_LIMITS, DecodeQueue, QueueFullError, type CompletionChoice, type CompletionRequest, type EngineLimits } from './serve-engine.ts';
import { ApiError, chunkObject, completionObject, messageText, parseChatRequest, usage, type ChatRequestBody } from './serve-protocol.ts';

/** Most bytes of a request body read; more is refused with 413. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** max_tokens when a request gives none (capped by the context left after the prompt). */
export const DEFAULT_MAX_TOKENS = 1024;

export interface ServeOptions {
  /** The name /v1/models lists and requests must ask for. */
  modelName: string;
  loaded: LoadedModel;
  backend: Backend;
  host?: string;
  port?: number;
  limits?: Partial<EngineLimits>;
  /** Seed of the unseeded requests' sampling streams (default: random). */
  seed?: number;
  /** Origins whose pages may call this server (CORS; serve-cors.ts). Default none. */
  allowOrigins?: AllowedOrigins;
}

export interface RunningServer {
  url: string;
  queue: DecodeQueue<TensorLike, TensorLike>;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const { loaded, backend } = opts;
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  const model = new Model(backend, loaded.layout, params);
  const codec: ChatCodec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
  const queue = new DecodeQueue(model, loaded.tokenizer, { ...DEFAULT_LIMITS, ...opts.limits }, opts.seed);
  const created = Math.floor(Date.now() / 1000);
  const modelCard = { id: opts.modelName, object: 'model', created, owned_by: 'grpo-playground' };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      const err = e instanceof ApiError ? e : new ApiError(500, `internal error: ${(e as Error).message}`);
      sendError(res, err);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(req, res, opts.allowOrigins ?? [])) return;
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/+$/, '');
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    if (path === '/v1/models' || path.startsWith('/v1/models/')) {
      if (req.method !== 'GET') throw new ApiError(405, `${req.method} ${path}: use GET`);
      if (path === '/v1/models') return sendJson(res, 200, { object: 'list', data: [modelCard] });
      const id = decodeURIComponent(path.slice('/v1/models/'.length));
      if (id !== opts.modelName) throw new ApiError(404, `The model '${id}' does not exist (this server serves '${opts.modelName}')`, 'model', 'model_not_found');
      return sendJson(res, 200, modelCard);
    }
    if (path !== '/v1/chat/completions') throw new ApiError(404, `no route ${req.method} ${path} (try POST /v1/chat/completions or GET /v1/models)`, null, 'not_found');
    if (req.method !== 'POST') throw new ApiError(405, `${req.method} ${path}: use POST`);
    const body = parseChatRequest(await readJson(req));
    if (body.model !== opts.modelName) {
      throw new ApiError(404, `The model '${body.model.slice(0, 200)}' does not exist (this server serves '${opts.modelName}')`, 'model', 'model_not_found');
    }
    const prompt = renderPrompt(codec, body);
    const request = completionRequest(body, prompt, queue.contextLength);
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      const choices = await submit(queue, request);
      const completionTokens = choices.reduce((a, c) => a + c.tokens.length, 0);
      return sendJson(res, 200, completionObject(id, now, opts.modelName, choices, usage(prompt.length, completionTokens)));
    }
    await stream(res, id, now, opts.modelName, loaded.tokenizer, prompt.length, body.stream_options?.include_usage === true, submit(queue, request));
  }

  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 8000, host, () => ok());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/v1`,
    queue,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          backend.free(params);
          ok();
        });
      }),
  };
}

function renderPrompt(codec: ChatCodec, body: ChatRequestBody): Int32Array {
  const messages: ChatMessage[] = body.messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: messageText(m.content) }));
  try {
    return encodeMessages(codec, messages).ids;
  } catch (e) {
    throw new ApiError(400, `messages: the model's chat template cannot render them: ${(e as Error).message}`, 'messages', 'invalid_value');
  }
}

function completionRequest(body: ChatRequestBody, prompt: Int32Array, context: number) {
  const room = context - prompt.length;
  if (room < 1) throw new ApiError(400, `This model's maximum context length is ${context} tokens; the messages take ${prompt.length}`, 'messages', 'context_length_exceeded');
  const asked = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  if (asked !== undefined && prompt.length + asked > context) {
    throw new ApiError(
      400,
      `This model's maximum context length is ${context} tokens. However, you requested ${prompt.length + asked} tokens (${prompt.length} in the messages, ${asked} in the completion)`,
      body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens',
      'context_length_exceeded',
    );
  }
  const stop = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    prompt,
    n: body.n ?? 1,
    maxTokens: asked ?? Math.min(room, DEFAULT_MAX_TOKENS),
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    stop: stop.filter((s) => s.length > 0),
    seed: body.seed ?? undefined,
  };
}

/** Queue the request; a full queue is a 429 at once (thrown before any reply is started). */
function submit(queue: DecodeQueue<TensorLike, TensorLike>, request: CompletionRequest): Promise<CompletionChoice[]> {
  try {
    return queue.submit(request);
  } catch (e) {
    if (e instanceof QueueFullError) throw new ApiError(429, e.message, null, 'server_busy');
    throw e;
  }
}

/** Server-sent events: the role chunk now, then each choice's text token by token, the finish, usage, [DONE]. */
async function stream(
  res: ServerResponse,
  id: string,
  created: number,
  model: string,
  tok: Tokenizer,
  promptTokens: number,
  includeUsage: boolean,
  pending: Promise<CompletionChoice[]>,
): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
  const choices = await pending.catch((e) => {
    // Headers are gone: report the failure as an error event, as OpenAI's servers do mid-stream.
    send(e instanceof ApiError ? e.body() : new ApiError(500, `internal error: ${(e as Error).message}`).body());
    res.end();
    return null;
  });
  if (choices === null) return;
  choices.forEach((_, index) => send(chunkObject(id, created, model, [{ index, delta: { role: 'assistant', content: '' }, finish_reason: null }], includeUsage ? null : undefined)));
  choices.forEach((c, index) => {
    for (const piece of tokenPieces(tok, c)) send(chunkObject(id, created, model, [{ index, delta: { content: piece }, finish_reason: null }], includeUsage ? null : undefined));
    send(chunkObject(id, created, model, [{ index, delta: {}, finish_reason: c.finish }], includeUsage ? null : undefined));
  });
  if (includeUsage) send(chunkObject(id, created, model, [], usage(promptTokens, choices.reduce((a, c) => a + c.tokens.length, 0))));
  res.write('data: [DONE]\n\n');
  res.end();
}

/**
 * The choice's text split at token boundaries: piece i is what token i adds to the decoded prefix (a token that
 * ends mid-character waits for the next one), clipped to the final text (which a stop string may have cut).
 */
export function tokenPieces(tok: Tokenizer, c: CompletionChoice): string[] {
  const pieces: string[] = [];
  let sent = 0;
  for (let i = 1; i <= c.tokens.length && sent < c.text.length; i++) {
    const prefix = tok.decode(c.tokens.subarray(0, i), { skipSpecialTokens: true });
    if (prefix.endsWith('\uFFFD')) continue;
    const upto = Math.min(prefix.length, c.text.length);
    if (upto > sent) {
      pieces.push(c.text.slice(sent, upto));
      sent = upto;
    }
  }
  if (sent < c.text.length) pieces.push(c.text.slice(sent));
  return pieces;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) throw new ApiError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`, null, 'request_too_large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new ApiError(400, 'request body is empty: send a JSON object with model and messages', null, 'invalid_json');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, `request body is not valid JSON: ${(e as Error).message}`, null, 'invalid_json');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ApiError(400, 'request body must be a JSON object', null, 'invalid_json');
  return json;
}

function sendJson(res: ServerResponse, status: number, obj: unknown): void {
  const text = JSON.stringify(obj);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, err: ApiError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (err.status === 429) res.setHeader('retry-after', '1');
  // The body may still be arriving (413): answer, then stop reading.
  res.setHeader('connection', 'close');
  sendJson(res, err.status, err.body());
}

export interface ServeFlags {
  model: string;
  port: string;
  host: string;
  backend: BackendChoice;
  seed?: string;
  maxBatch?: string;
  maxQueued?: string;
  allowOrigin?: string;
}

/** The served name and the model: a folder, a Hub id (hf:ORG/NAME[@REV]) or a bundled id. */
export async function loadServedModel(spec: string, quiet = false): Promise<{ name: string; loaded: LoadedModel }> {
  if (spec.startsWith('hf:')) return { name: spec.slice(3), loaded: await loadModel(spec, spec, { quiet }) };
  // A folder (a path, or a name that is a model folder here) wins over a bundled id of the same name.
  if (spec.includes('/') || existsSync(join(resolve(spec), 'config.json'))) {
    return { name: spec.replace(/\/+$/, '').split('/').pop()!, loaded: await loadModel('', spec) };
  }
  return { name: spec, loaded: await loadModel(spec) };
}

export async function serveCommand(flags: ServeFlags): Promise<void> {
  const port = parseCount('--port', flags.port, 0);
  const allowOrigins = parseAllowedOrigins(flags.allowOrigin);
  if (port > 65535) throw new CliError(`--port must be at most 65535, got ${port}`);
  const { name, loaded } = await loadServedModel(flags.model);
  const backend = await createBackend(flags.backend);
  const limits: Partial<EngineLimits> = {};
  if (flags.maxBatch !== undefined) limits.maxBatchRows = parseCount('--max-batch', flags.maxBatch, 1);
  if (flags.maxQueued !== undefined) limits.maxQueued = parseCount('--max-queued', flags.maxQueued, 1);
  let running: RunningServer;
  try {
    running = await startServer({ modelName: name, loaded, backend, host: flags.host, port, limits, allowOrigins, seed: flags.seed === undefined ? undefined : parseCount('--seed', flags.seed, 0) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot listen on ${flags.host}:${port}: ${code === 'EADDRINUSE' ? 'the port is in use (pick another with --port)' : (code ?? (e as Error).message)}`);
  }
  if (!['127.0.0.1', 'localhost', '::1'].includes(flags.host)) {
    process.stderr.write(`warning: listening on ${flags.host}: anyone who can reach this address can use the model (there is no API key check)\n`);
  }
  if (allowOrigins.length > 0) process.stderr.write(`pages from ${allowOrigins.join(', ')} may call this server (CORS)\n`);
  process.stderr.write(`serving ${name} (${loaded.layout.count.toLocaleString('en-US')} params, context ${loaded.layout.dims.maxT}) on ${backend.deviceName} at ${running.url}\n`);
  await new Promise<void>((done) => {
    const stop = () => {
      process.stderr.write('shutting down\n');
      void running.close().then(done);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
