// Batched autoregressive sampling with a KV cache. P prompts are prefilled once (right-padded, one
// forward), their caches are copied to the G sample rows of each group, then all R = P*G rows decode one
// token per step. Only logits of the sampled positions come back to the host; sampling draws from the
// seeded counter-based RNG, one stream per row, so a run is reproducible.
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
  const d = model.dims;
  const P = prompts.length;
  const R = P * G;
  const Tp = Math.max(...prompts.map((p) => p.length));
  if (prompts.some((p) => p.length === 0)) throw new Error('generate: empty prompt');
  const maxT = Tp + opts.maxNewTokens;
  if (maxT > d.maxT) throw new Error(`prompt (${Tp}) + max new tokens (${opts.maxNewTokens}) exceeds the model's context (${d.maxT})`);
  const rt = new Runtime(model, Math.max(P * Tp, R), maxT, R);
  try {
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
    const srcRow = new Int32Array(R);
    for (let r = 0; r < R; r++) srcRow[r] = Math.floor(r / G);
    rt.gatherCache(cache, prefillCache, srcRow, Tp);
    // Row r's first token comes from the last prompt position of its prompt.
    const firstIdx = new Int32Array(R);
    for (let r = 0; r < R; r++) firstIdx[r] = srcRow[r] * Tp + prompts[srcRow[r]].length - 1;

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
    rt.freeCache(prefillCache);
    // ---- decode one token per row per step ----
    const stepTokens = new Int32Array(R);
    const stepPos = new Int32Array(R);
    const cacheRows = new Int32Array(R);
    for (let r = 0; r < R; r++) cacheRows[r] = r;
    for (let t = 1; t < opts.maxNewTokens && !done.every((x) => x === 1); t++) {
      for (let r = 0; r < R; r++) {
        const c = completions[r];
        stepTokens[r] = c[c.length - 1];
        stepPos[r] = prompts[srcRow[r]].length + c.length - 1;
      }
      rt.forward(stepTokens, stepPos, cacheRows, R, 1, cache, 'decode');
      await step(cacheRows, t);
    }
    rt.freeCache(cache);
    return { completions: completions.map((c) => Int32Array.from(c)), finish };
  } finally {
    rt.dispose();
  }
}

function hitsStopString(ids: number[], opts: GenerateOptions): boolean {
  if (!opts.stopStrings?.length || !opts.decode) return false;
  const text = opts.decode(Int32Array.from(ids));
  return opts.stopStrings.some((s) => s.length > 0 && text.endsWith(s));
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

  constructor(
    private readonly model: Model<F, I>,
    private readonly maxN: number,
    private readonly maxT: number,
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
   * 'decode' (S = 1) attends to the cache up to and including the new token.
   */
  forward(tokens: Int32Array, pos: Int32Array, rows: Int32Array, B: number, S: number, cache: KVCache<F>, mode: 'prefill' | 'decode'): void {
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
        else be.decodeAttention(att, q, cache.k[l], cache.v[l], lensT, B, d.NH, d.KVH, d.D, this.maxT);
      };
      blockForward({ be, d, n, W, linears: m.inferenceLinears(l, N) }, a, posT, N, attend, a.xIn);
    }
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
  }
}
