// Batched autoregressive sampling with a KV cache. P prompts are prefilled once (right-padded, one
// forward), their caches are copied to the G sample rows of each group, then all R = P*G rows decode one
// token per step. Only logits of the sampled positions come back to the host; sampling draws from the
// seeded counter-based RNG, one stream per row, so a run is reproducible.
// A GenerationSession keeps the rows' caches after a call, so a multi-turn rollout's later turn runs only the
// tokens appended since (the environment's reply and template markup) through the model instead of
// re-prefilling the whole conversation; `generate` is a session of one call.
import type { Backend, TensorLike } from './backend.ts';
import { blockBufferSizes, inferenceExtraSizes, kvCacheLayerFloats, type BlockBuffers } from './activations.ts';
import { allocBlockBuffers, blockForward, viewBlockBuffers } from './block.ts';
import type { Model } from './model.ts';
import { hash32 } from './rng.ts';
import type { SamplerOptions } from './sampling.ts';

export interface GenerateOptions extends SamplerOptions {
  maxNewTokens: number;
  stopTokenIds: number[]; // e.g. the chat template's end-of-turn token; included in the output
  stopStrings?: string[]; // checked on decoded text; requires `decode`
  decode?: (ids: Int32Array) => string;
  seed: number;
  /** Observe the logits [R, V] the rows sampled from at step t (reads them back: tests and inspection only). */
  onLogits?: (t: number, logits: Float32Array) => void;
}

export interface GenerateResult {
  /** Completion tokens of each row (R = P*G rows; row r samples prompt floor(r/G)). */
  completions: Int32Array[];
  /** 'stop' when a stop token/string ended the row, 'length' when it hit maxNewTokens (truncated). */
  finish: ('stop' | 'length')[];
}

export async function generate<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  prompts: Int32Array[],
  G: number,
  opts: GenerateOptions,
): Promise<GenerateResult> {
  const session = new GenerationSession(model);
  try {
    return await session.start(prompts, G, opts);
  } finally {
    session.dispose();
  }
}

/**
 * Rows that decode over several calls (turns), each keeping its KV cache in between. `start` is generate();
 * `continue` takes, for each row that goes on, its whole token sequence so far, which must begin with what the
 * row has already seen (its prompt and every completion); only the new tokens are run through the model
 * (Runtime.extend: a few forwards over all rows' new tokens at once) before sampling resumes. Rows not passed to `continue` are dropped.
 * Sampling matches a fresh generate() over the whole sequences (same seeds, same steps) up to float rounding:
 * the context reaches the cache through decode steps instead of a prefill.
 */
export class GenerationSession<F extends TensorLike, I extends TensorLike> {
  private rt: Runtime<F, I> | null = null;
  private cache: KVCache<F> | null = null;
  /** Per row (numbered by `start`: r = p*G + g): every token it has seen, the last completion's included. */
  private seen: (Int32Array | null)[] = [];
  /** Per row: its row in the cache, -1 once dropped. */
  private cacheRow = new Int32Array(0);

  constructor(readonly model: Model<F, I>) {}

  /**
   * The first turn: P prompts x G samples (rows r = p*G + g). `capacity` reserves cache positions per row for
   * later turns (default: the longest prompt plus maxNewTokens, all a single call needs).
   */
  async start(prompts: Int32Array[], G: number, opts: GenerateOptions, capacity = 0): Promise<GenerateResult> {
    if (prompts.some((p) => p.length === 0)) throw new Error('generate: empty prompt');
    const need = checkContext(this.model, prompts, opts);
    this.release();
    const res = await this.prefillTurn(prompts, G, Math.min(this.model.dims.maxT, Math.max(need, capacity)), opts);
    this.seen = res.completions.map((c, r) => concat(prompts[Math.floor(r / G)], c));
    this.cacheRow = Int32Array.from({ length: prompts.length * G }, (_, r) => r);
    return res;
  }

  /**
   * A later turn for `rows` (indices from `start`), whose sequences are now `contexts[k]`. Result k is row
   * rows[k]'s (seeded as row k of a generate() over `contexts`). A turn that would outgrow the cache re-prefills
   * the whole contexts into a larger one.
   */
  async continue(rows: number[], contexts: Int32Array[], opts: GenerateOptions): Promise<GenerateResult> {
    if (rows.length !== contexts.length) throw new Error('GenerationSession.continue: one context per row');
    const A = rows.length;
    if (A === 0) return { completions: [], finish: [] };
    const base: number[] = []; // the position of each row's first token to run: its last sampled one
    rows.forEach((r, k) => {
      const seen = this.seen[r];
      if (!seen || this.cacheRow[r] < 0) throw new Error(`GenerationSession.continue: row ${r} is not in the session`);
      const ctx = contexts[k];
      if (ctx.length < seen.length || seen.some((t, i) => ctx[i] !== t)) {
        throw new Error(`GenerationSession.continue: row ${r}'s context must extend the tokens it has seen`);
      }
      base.push(seen.length - 1);
    });
    const need = checkContext(this.model, contexts, opts);
    const rt = this.rt!;
    let res: GenerateResult;
    if (need > rt.maxT) {
      // Outgrown: prefill the whole contexts again, into room for at least as much growth again.
      res = await this.prefillTurn(contexts, 1, Math.min(this.model.dims.maxT, Math.max(need, 2 * rt.maxT)), opts);
      this.cacheRow.fill(-1);
      rows.forEach((r, k) => (this.cacheRow[r] = k));
    } else {
      res = await this.extendTurn(rows, contexts, base, opts);
    }
    this.seen = this.seen.map(() => null);
    rows.forEach((r, k) => (this.seen[r] = concat(contexts[k], res.completions[k])));
    return res;
  }

  /** Free the cache and buffers (the session can `start` again). */
  dispose(): void {
    this.release();
    this.seen = [];
    this.cacheRow = new Int32Array(0);
  }

  private release(): void {
    if (this.cache) this.rt!.freeCache(this.cache);
    this.rt?.dispose();
    this.cache = null;
    this.rt = null;
  }

  /** Prefill P prompts once, share each one's cache with its G rows, and decode them (a fresh runtime and cache). */
  private async prefillTurn(prompts: Int32Array[], G: number, capacity: number, opts: GenerateOptions): Promise<GenerateResult> {
    this.release();
    const P = prompts.length;
    const R = P * G;
    const Tp = Math.max(...prompts.map((p) => p.length));
    const d = this.model.dims;
    // Room for one chunk of all R rows, so a later turn's extend always fits a forward.
    const rt = new Runtime(this.model, Math.max(P * Tp, roundUp(R, VIEW_ALIGN / gcd(d.NH * d.D, VIEW_ALIGN))), capacity, R);
    this.rt = rt;
    // ---- prefill the P prompts once ----
    const tokens = new Int32Array(P * Tp);
    const pos = new Int32Array(P * Tp);
    const rows = new Int32Array(P);
    for (let p = 0; p < P; p++) {
      tokens.set(prompts[p], p * Tp);
      for (let t = 0; t < Tp; t++) pos[p * Tp + t] = t;
      rows[p] = p;
    }
    const prefillCache = rt.allocCache(P);
    rt.forward(tokens, pos, rows, P, Tp, prefillCache, 'prefill');
    // ---- share each prompt's cache with its G rows ----
    const cache = rt.allocCache(R);
    this.cache = cache;
    const srcRow = new Int32Array(R);
    for (let r = 0; r < R; r++) srcRow[r] = Math.floor(r / G);
    rt.gatherCache(cache, prefillCache, srcRow, Tp);
    // Row r's first token comes from the last prompt position of its prompt.
    const firstIdx = new Int32Array(R);
    for (let r = 0; r < R; r++) firstIdx[r] = srcRow[r] * Tp + prompts[srcRow[r]].length - 1;
    const contextLen = Int32Array.from(srcRow, (p) => prompts[p].length);
    return decodeTurn(rt, cache, firstIdx, contextLen, opts, () => rt.freeCache(prefillCache));
  }

  /**
   * Append each row's new tokens to its cache (Runtime.extend) and decode. Rows that go on are first compacted
   * into a new cache (rows 0..A-1 in the caller's order) unless they already are its rows in that order.
   */
  private async extendTurn(rows: number[], contexts: Int32Array[], base: number[], opts: GenerateOptions): Promise<GenerateResult> {
    const rt = this.rt!;
    const A = rows.length;
    const from = Int32Array.from(rows, (r) => this.cacheRow[r]);
    if (A !== this.cache!.rows || from.some((c, i) => c !== i)) {
      const compact = rt.allocCache(A);
      rt.gatherCache(compact, this.cache!, from, Math.max(...base));
      rt.freeCache(this.cache!);
      this.cache = compact;
    }
    this.cacheRow.fill(-1);
    rows.forEach((r, k) => (this.cacheRow[r] = k));
    const firstIdx = rt.extend(contexts.map((c, k) => c.subarray(base[k])), base, this.cache!);
    return decodeTurn(rt, this.cache!, firstIdx, Int32Array.from(contexts, (c) => c.length), opts);
  }
}

/** Longest prompt + maxNewTokens, which must fit the model's context. */
function checkContext<F extends TensorLike, I extends TensorLike>(model: Model<F, I>, prompts: Int32Array[], opts: GenerateOptions): number {
  const Tp = Math.max(...prompts.map((p) => p.length));
  const need = Tp + opts.maxNewTokens;
  if (need > model.dims.maxT) throw new Error(`prompt (${Tp}) + max new tokens (${opts.maxNewTokens}) exceeds the model's context (${model.dims.maxT})`);
  return need;
}

/**
 * Sample every cache row's first token from the hidden states of the last forward (rows firstIdx), then decode
 * one token per row per step; cache row i holds contextLen[i] tokens before its completion. `afterFirst` runs
 * once the first tokens are sampled (freeing the prefill cache).
 */
async function decodeTurn<F extends TensorLike, I extends TensorLike>(
  rt: Runtime<F, I>,
  cache: KVCache<F>,
  firstIdx: Int32Array,
  contextLen: Int32Array,
  opts: GenerateOptions,
  afterFirst?: () => void,
): Promise<GenerateResult> {
  const R = firstIdx.length;
  const completions: number[][] = Array.from({ length: R }, () => []);
  const finish: ('stop' | 'length')[] = new Array(R).fill('length');
  const done = new Uint8Array(R);
  rt.setSeeds(Int32Array.from({ length: R }, (_, r) => hash32(opts.seed ^ hash32(r + 0x51ed)) | 0));
  const stopIds = new Set(opts.stopTokenIds);
  // Sample every row on the device; only R token ids come back.
  const step = async (rowIdx: Int32Array, t: number) => {
    const tokens = await rt.sampleAt(rowIdx, opts, t);
    for (let r = 0; r < R; r++) {
      if (done[r]) continue;
      const tok = tokens[r];
      completions[r].push(tok);
      if (stopIds.has(tok) || hitsStopString(completions[r], opts)) {
        done[r] = 1;
        finish[r] = 'stop';
      } else if (completions[r].length >= opts.maxNewTokens) {
        done[r] = 1;
      }
    }
  };
  await step(firstIdx, 0);
  afterFirst?.();
  // ---- decode one token per row per step ----
  const stepTokens = new Int32Array(R);
  const stepPos = new Int32Array(R);
  const cacheRows = identity(R);
  for (let t = 1; t < opts.maxNewTokens && !done.every((x) => x === 1); t++) {
    for (let r = 0; r < R; r++) {
      const c = completions[r];
      stepTokens[r] = c[c.length - 1];
      stepPos[r] = contextLen[r] + c.length - 1;
    }
    rt.forward(stepTokens, stepPos, cacheRows, R, 1, cache, 'decode');
    await step(cacheRows, t);
  }
  return { completions: completions.map((c) => Int32Array.from(c)), finish };
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

function concat(a: Int32Array, b: Int32Array): Int32Array {
  const out = new Int32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function hitsStopString(ids: number[], opts: GenerateOptions): boolean {
  if (!opts.stopStrings?.length || !opts.decode) return false;
  const text = opts.decode(Int32Array.from(ids));
  return opts.stopStrings.some((s) => s.length > 0 && text.endsWith(s));
}

/** Chunked attention of Runtime.extend: chunks of `width` tokens, the first `rows` of each attending the cache. */
interface Chunks<I> {
  width: number;
  rows: number;
  lens: I; // [chunks, lensStride]: row i of chunk c attends positions [0, lens[c * lensStride + i])
  lensStride: number;
}

/** WebGPU views start at a multiple of minStorageBufferOffsetAlignment, at most 256 bytes: 64 elements. */
const VIEW_ALIGN = 64;

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

interface KVCache<F> {
  k: F[]; // per layer [rows, maxT, KVH, D]
  v: F[];
  rows: number;
}

/** Inference buffers for up to `maxN` rows per forward, and the kernels of one inference forward. */
class Runtime<F extends TensorLike, I extends TensorLike> {
  private readonly be: Backend<F, I>;
  private readonly owned: (F | I)[] = [];
  /** One set of block buffers reused by every layer; block.xIn is the residual stream, updated in place. */
  private readonly block: BlockBuffers<F>;
  private readonly tokens: I;
  private readonly pos: I;
  private readonly lens: I;
  private readonly rows: I;
  private readonly idx: I;
  private readonly xLast: F;
  private readonly logits: F;
  private readonly sampled: I;
  private readonly seeds: I;
  /** Per-chunk attention lengths of `extend` (allocated on first use). */
  private chunkLens: I | null = null;

  constructor(
    private readonly model: Model<F, I>,
    private readonly maxN: number,
    /** Cache positions per row. */
    readonly maxT: number,
    sampleRows: number, // rows sampled at once (R): the logits buffer holds only those
  ) {
    this.be = model.backend;
    const d = model.dims;
    const f = (n: number) => this.own(this.be.allocFloat(n));
    const i = (n: number) => this.own(this.be.allocInt(n));
    this.block = allocBlockBuffers(blockBufferSizes(d, maxN), f);
    const extra = inferenceExtraSizes(d, maxN, sampleRows);
    this.xLast = f(extra.floats.xLast);
    this.logits = f(extra.floats.logits);
    this.tokens = i(extra.ints.tokens);
    this.pos = i(extra.ints.pos);
    this.lens = i(extra.ints.lens);
    this.rows = i(extra.ints.rows);
    this.idx = i(extra.ints.idx);
    this.sampled = i(extra.ints.sampled);
    this.seeds = i(extra.ints.seeds);
  }

  private own<T extends F | I>(t: T): T {
    this.owned.push(t);
    return t;
  }

  allocCache(rows: number): KVCache<F> {
    const d = this.model.dims;
    const n = kvCacheLayerFloats(d, rows, this.maxT);
    const k: F[] = [];
    const v: F[] = [];
    for (let l = 0; l < d.L; l++) {
      k.push(this.be.allocFloat(n));
      v.push(this.be.allocFloat(n));
    }
    return { k, v, rows };
  }

  freeCache(c: KVCache<F>): void {
    for (const t of [...c.k, ...c.v]) this.be.free(t);
  }

  gatherCache(dst: KVCache<F>, src: KVCache<F>, srcRow: Int32Array, T: number): void {
    const d = this.model.dims;
    const rows = this.be.viewInt(this.idx, 0, srcRow.length);
    this.be.uploadInt(rows, srcRow);
    for (let l = 0; l < d.L; l++) {
      this.be.kvCacheGather(dst.k[l], dst.v[l], src.k[l], src.v[l], rows, dst.rows, T, d.KVH, d.D, this.maxT);
    }
  }

  /**
   * Run B rows of S tokens each through the model, writing k/v into `cache` (row rows[b] at positions
   * pos[b*S+s]). 'prefill' attends causally within the S new tokens (positions must start at 0);
   * 'decode' (S = 1) attends to the cache up to and including the new token; `Chunks` (S = 1, B = N tokens in
   * chunks of `width`) is a decode step per chunk.
   */
  forward(tokens: Int32Array, pos: Int32Array, rows: Int32Array, B: number, S: number, cache: KVCache<F>, mode: 'prefill' | 'decode' | Chunks<I>): void {
    const be = this.be;
    const m = this.model;
    const d = m.dims;
    const Ln = m.layout;
    const N = B * S;
    if (N > this.maxN) throw new Error('Runtime.forward: batch larger than allocated');
    const subI = (t: I, n: number) => be.viewInt(t, 0, n);
    const tok = subI(this.tokens, N);
    const posT = subI(this.pos, N);
    const rowsT = subI(this.rows, B);
    be.uploadInt(tok, tokens);
    be.uploadInt(posT, pos);
    be.uploadInt(rowsT, rows);
    const lensT = subI(this.lens, B);
    if (mode === 'decode') {
      const lens = new Int32Array(B);
      for (let b = 0; b < B; b++) lens[b] = pos[b] + 1;
      be.uploadInt(lensT, lens);
    }
    const a = viewBlockBuffers(this.block, blockBufferSizes(d, N), (t, n) => be.view(t, 0, n));
    const W = (name: string) => m.weight(name);
    be.embeddingForward(a.xIn, tok, W(Ln.embed), N, d.C);
    for (let l = 0; l < d.L; l++) {
      const n = Ln.layers[l];
      const attend = (att: F, lse: F, q: F, k: F, v: F) => {
        be.kvCacheWrite(cache.k[l], cache.v[l], k, v, rowsT, posT, B, S, d.KVH, d.D, this.maxT);
        if (mode === 'prefill') be.attentionForward(att, lse, q, k, v, B, S, d.NH, d.KVH, d.D);
        else if (mode === 'decode') be.decodeAttention(att, q, cache.k[l], cache.v[l], lensT, B, d.NH, d.KVH, d.D, this.maxT);
        else {
          // Each chunk is one decode step of its `rows` rows over the cache (already holding this call's k/v).
          const QD = d.NH * d.D;
          const r = mode.rows;
          for (let c = 0; c * mode.width < N; c++) {
            const at = c * mode.width * QD;
            const lens = be.viewInt(mode.lens, c * mode.lensStride, r);
            be.decodeAttention(be.view(att, at, r * QD), be.view(q, at, r * QD), cache.k[l], cache.v[l], lens, r, d.NH, d.KVH, d.D, this.maxT);
          }
        }
      };
      blockForward({ be, d, n, W, linears: m.inferenceLinears(l, N) }, a, posT, N, attend, a.xIn);
    }
  }

  /**
   * Run each cache row i's new tokens pending[i] (positions base[i], base[i]+1, ...) through the model into the
   * cache, in as few forwards as the buffers allow. Token j of every row is one chunk (chunk-major layout, padded
   * to `chunkWidth` rows); runs are right-aligned, so every row's last token is in the final chunk. A chunk's
   * attention is a decode step (rows 0..A-1 of the cache, lengths pos + 1): the cache already holds the k/v of
   * the whole call, and each row reads only up to its own token. Idle slots (a row whose run starts later, or
   * padding) write position maxT - 1, which no row's context reaches (need <= maxT with maxNewTokens >= 1) and
   * which decoding writes before it reads. Returns where each row's last token sits in the last forward.
   */
  extend(pending: Int32Array[], base: number[], cache: KVCache<F>): Int32Array {
    const be = this.be;
    const A = pending.length;
    const K = Math.max(...pending.map((p) => p.length));
    const width = this.chunkWidth(A);
    const perForward = Math.floor(this.maxN / width);
    const lensStride = roundUp(A, VIEW_ALIGN);
    if (!this.chunkLens || this.chunkLens.length < perForward * lensStride) {
      if (this.chunkLens) be.free(this.chunkLens);
      this.chunkLens = be.allocInt(perForward * lensStride);
    }
    const lensAll = this.chunkLens;
    const idle = this.maxT - 1;
    let n = 0;
    for (let c0 = 0; c0 < K; c0 += perForward) {
      n = Math.min(perForward, K - c0);
      const N = n * width;
      const tokens = new Int32Array(N);
      const pos = new Int32Array(N).fill(idle);
      const rows = new Int32Array(N);
      const lens = new Int32Array(n * lensStride).fill(1);
      for (let c = 0; c < n; c++) {
        for (let i = 0; i < A; i++) {
          const t = c * width + i;
          rows[t] = i;
          const off = c0 + c - (K - pending[i].length);
          if (off < 0) continue;
          tokens[t] = pending[i][off];
          pos[t] = base[i] + off;
          lens[c * lensStride + i] = pos[t] + 1;
        }
      }
      be.uploadInt(be.viewInt(lensAll, 0, lens.length), lens);
      this.forward(tokens, pos, rows, N, 1, cache, { width, rows: A, lens: lensAll, lensStride });
    }
    return Int32Array.from({ length: A }, (_, i) => (n - 1) * width + i);
  }

  /** Chunk width for A rows: views into q and att must start at a multiple of VIEW_ALIGN elements on a GPU. */
  chunkWidth(A: number): number {
    const QD = this.model.dims.NH * this.model.dims.D;
    return roundUp(A, VIEW_ALIGN / gcd(QD, VIEW_ALIGN));
  }

  setSeeds(seeds: Int32Array): void {
    this.be.uploadInt(this.be.viewInt(this.seeds, 0, seeds.length), seeds);
  }

  /** Sample a token for each of the given rows of the last forward, on the device. */
  async sampleAt(rowIdx: Int32Array, opts: GenerateOptions, t: number): Promise<Int32Array> {
    const be = this.be;
    const n = rowIdx.length;
    const V = this.model.dims.V;
    const logits = this.logitsAt(rowIdx);
    if (opts.onLogits) opts.onLogits(t, await be.readFloat(logits));
    const out = be.viewInt(this.sampled, 0, n);
    be.sampleTokens(out, logits, n, V, opts, be.viewInt(this.seeds, 0, n), t);
    return be.readInt(out);
  }

  /** Logits [rows.length, V] at the given rows of the last forward (gathered, normed, LM head), on the device. */
  logitsAt(rowIdx: Int32Array): F {
    const be = this.be;
    const m = this.model;
    const d = m.dims;
    const n = rowIdx.length;
    const idx = be.viewInt(this.idx, 0, n);
    be.uploadInt(idx, rowIdx);
    const xLast = be.view(this.xLast, 0, n * d.C);
    // A row gather is an embedding lookup with the hidden states as the table.
    be.embeddingForward(xLast, idx, this.block.xIn, n, d.C);
    const xn = be.view(this.block.xn1, 0, n * d.C);
    be.rmsnormForward(xn, be.view(this.block.rstd1, 0, n), xLast, m.weight(m.layout.finalNorm), n, d.C, d.eps);
    const logits = be.view(this.logits, 0, n * d.V);
    be.matmulForward(logits, xn, m.weight(m.layout.lmHead), null, n, d.C, d.V);
    return logits;
  }

  dispose(): void {
    for (const t of this.owned) this.be.free(t);
    if (this.chunkLens) this.be.free(this.chunkLens);
  }
}
