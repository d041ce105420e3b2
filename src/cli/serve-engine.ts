// The decode queue behind `grpo-playground serve`: chat requests wait in a bounded queue and run through the
// engine's batched generate(), several requests in one decode where their sampling settings agree. Contract:
// a request's text is the completion with its stop token removed and cut before the first stop string
// (OpenAI semantics); a request with a seed decodes alone, so the same seed gives the same text; a full queue
// is refused at once (QueueFullError), never left waiting without bound.
import type { TensorLike } from '../engine/backend.ts';
import { generate } from '../engine/generate.ts';
import type { Model } from '../engine/model.ts';
import { hash32 } from '../engine/rng.ts';
import type { Tokenizer } from '../engine/tokenizer.ts';

export interface CompletionRequest {
  /** The rendered prompt's tokens. */
  prompt: Int32Array;
  /** Choices wanted (OpenAI `n`): the G samples of one prompt. */
  n: number;
  maxTokens: number;
  temperature: number;
  topP: number;
  stop: string[];
  seed?: number;
}

export interface CompletionChoice {
  /** Tokens generated and kept (the stop token included when one ended the choice). */
  tokens: Int32Array;
  text: string;
  finish: 'stop' | 'length';
}

export interface EngineLimits {
  /** Rows (sum of n over requests) decoded together at most. */
  maxBatchRows: number;
  /** Requests waiting or running at most; more are refused. */
  maxQueued: number;
  /** How long a batch waits for one more companion, in ms: it keeps waiting while requests keep arriving... */
  batchWindowMs: number;
  /** ...but no longer than this in all, in ms. */
  maxBatchWaitMs: number;
}

export const DEFAULT_LIMITS: EngineLimits = { maxBatchRows: 32, maxQueued: 64, batchWindowMs: 5, maxBatchWaitMs: 50 };

export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

interface Pending {
  req: CompletionRequest;
  resolve: (c: CompletionChoice[]) => void;
  reject: (e: unknown) => void;
}

/** Requests that may share one generate() call: same choices count and sampling settings, and no seed. */
function batchKey(r: CompletionRequest): string | null {
  if (r.seed !== undefined) return null;
  return JSON.stringify([r.n, r.temperature, r.topP, r.stop]);
}

export class DecodeQueue<F extends TensorLike, I extends TensorLike> {
  private readonly waiting: Pending[] = [];
  private running = 0;
  private draining = false;
  private seedCounter: number;
  /** Decodes run so far and the requests they carried (for tests and the log line). */
  readonly stats = { decodes: 0, requests: 0, maxRequestsInOneDecode: 0 };

  constructor(
    private readonly model: Model<F, I>,
    private readonly tokenizer: Tokenizer,
    private readonly limits: EngineLimits = DEFAULT_LIMITS,
    seed = (Math.random() * 2 ** 31) | 0,
  ) {
    this.seedCounter = seed;
  }

  /** The model's context length: a prompt plus max_tokens must fit in it. */
  get contextLength(): number {
    return this.model.dims.maxT;
  }

  /** Queue a request. Throws QueueFullError synchronously when the queue is full (nothing is queued then). */
  submit(req: CompletionRequest): Promise<CompletionChoice[]> {
    if (this.waiting.length + this.running >= this.limits.maxQueued) {
      throw new QueueFullError(`the server is busy (${this.limits.maxQueued} requests queued or running); retry shortly`);
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ req, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        await this.gatherCompanions();
        const batch = this.takeBatch();
        this.running = batch.length;
        await this.decode(batch);
        this.running = 0;
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Let requests that arrive together join one decode: wait batchWindowMs, and again while the last wait
   * brought a new request and the batch is not full, up to maxBatchWaitMs. A lone request waits one window.
   */
  private async gatherCompanions(): Promise<void> {
    const start = performance.now();
    const rows = () => this.waiting.reduce((a, p) => a + p.req.n, 0);
    for (;;) {
      const before = this.waiting.length;
      await new Promise((r) => setTimeout(r, this.limits.batchWindowMs));
      const waited = performance.now() - start;
      if (this.waiting.length === before || rows() >= this.limits.maxBatchRows || waited >= this.limits.maxBatchWaitMs) return;
    }
  }

  /** The oldest request and every later one that may share its decode, within the row and context limits. */
  private takeBatch(): Pending[] {
    const first = this.waiting.shift()!;
    const batch = [first];
    const key = batchKey(first.req);
    if (key === null) return batch;
    let rows = first.req.n;
    let longestPrompt = first.req.prompt.length;
    let mostTokens = first.req.maxTokens;
    for (let i = 0; i < this.waiting.length; ) {
      const p = this.waiting[i].req;
      const fits =
        batchKey(p) === key &&
        rows + p.n <= this.limits.maxBatchRows &&
        Math.max(longestPrompt, p.prompt.length) + Math.max(mostTokens, p.maxTokens) <= this.contextLength;
      if (!fits) {
        i++;
        continue;
      }
      batch.push(this.waiting.splice(i, 1)[0]);
      rows += p.n;
      longestPrompt = Math.max(longestPrompt, p.prompt.length);
      mostTokens = Math.max(mostTokens, p.maxTokens);
    }
    return batch;
  }

  private async decode(batch: Pending[]): Promise<void> {
    const head = batch[0].req;
    const tok = this.tokenizer;
    const seed = head.seed ?? (this.seedCounter = hash32(this.seedCounter + 0x5eed) | 0);
    try {
      const result = await generate(
        this.model,
        batch.map((p) => p.req.prompt),
        head.n,
        {
          temperature: head.temperature,
          topP: head.topP,
          topK: 0,
          maxNewTokens: Math.max(...batch.map((p) => p.req.maxTokens)),
          stopTokenIds: [...tok.stopTokenIds],
          stopStrings: head.stop,
          decode: (ids) => tok.decode(ids, { skipSpecialTokens: true }),
          seed,
        },
      );
      this.stats.decodes++;
      this.stats.requests += batch.length;
      this.stats.maxRequestsInOneDecode = Math.max(this.stats.maxRequestsInOneDecode, batch.length);
      batch.forEach((p, b) => {
        const choices: CompletionChoice[] = [];
        for (let g = 0; g < head.n; g++) {
          const r = b * head.n + g;
          choices.push(finishChoice(tok, result.completions[r], result.finish[r], p.req));
        }
        p.resolve(choices);
      });
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }
}

/**
 * One choice as the request asked for it: cut to its own max_tokens (a batch decodes to the longest), the
 * stop token dropped from the text, and the text cut before the earliest stop string.
 */
export function finishChoice(tok: Tokenizer, ids: Int32Array, finish: 'stop' | 'length', req: CompletionRequest): CompletionChoice {
  let kept = ids;
  let reason = finish;
  if (kept.length > req.maxTokens) {
    kept = kept.subarray(0, req.maxTokens);
    reason = 'length';
  }
  const endsWithStop = kept.length > 0 && tok.isStop(kept[kept.length - 1]);
  if (endsWithStop) reason = 'stop';
  else if (kept.length === req.maxTokens) reason = 'length';
  let text = tok.decode(endsWithStop ? kept.subarray(0, kept.length - 1) : kept, { skipSpecialTokens: true });
  let cut = -1;
  for (const s of req.stop) {
    const at = s.length > 0 ? text.indexOf(s) : -1;
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  if (cut !== -1) {
    text = text.slice(0, cut);
    reason = 'stop';
  }
  return { tokens: Int32Array.from(kept), text, finish: reason };
}
