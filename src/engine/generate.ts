// Batched autoregressive sampling with a KV cache. P prompts are prefilled once (right-padded, one
// forward), their caches are copied to the G sample rows of each group, then all R = P*G rows decode one
// token per step. Only logits of the sampled positions come back to the host; sampling draws from the
// seeded counter-based RNG, one stream per row, so a run is reproducible.
import type { Backend, TensorLike } from './backend.ts';
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
  const rt = new Runtime(model, Math.max(P * Tp, R), maxT);
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
  private readonly x: F;
  private readonly xn: F;
  private readonly q: F;
  private readonly qn: F;
  private readonly k: F;
  private readonly kn: F;
  private readonly v: F;
  private readonly att: F;
  private readonly lse: F;
  private readonly rstd: F;
  private readonly rstdH: F;
  private readonly gate: F;
  private readonly up: F;
  private readonly mlp: F;
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
  ) {
    this.be = model.backend;
    const d = model.dims;
    const f = (n: number) => this.own(this.be.allocFloat(n));
    const i = (n: number) => this.own(this.be.allocInt(n));
    this.x = f(maxN * d.C);
    this.xn = f(maxN * d.C);
    this.q = f(maxN * d.NH * d.D);
    this.qn = f(maxN * d.NH * d.D);
    this.k = f(maxN * d.KVH * d.D);
    this.kn = f(maxN * d.KVH * d.D);
    this.v = f(maxN * d.KVH * d.D);
    this.att = f(maxN * d.NH * d.D);
    this.lse = f(maxN * d.NH);
    this.rstd = f(maxN);
    this.rstdH = f(maxN * d.NH);
    this.gate = f(maxN * d.F);
    this.up = f(maxN * d.F);
    this.mlp = f(maxN * d.F);
    this.tokens = i(maxN);
    this.pos = i(maxN);
    this.lens = i(maxN);
    this.rows = i(maxN);
    this.idx = i(maxN);
    this.xLast = f(maxN * d.C);
    this.logits = f(maxN * d.V);
    this.sampled = i(maxN);
    this.seeds = i(maxN);
  }

  private own<T extends F | I>(t: T): T {
    this.owned.push(t);
    return t;
  }

  allocCache(rows: number): KVCache<F> {
    const d = this.model.dims;
    const n = rows * this.maxT * d.KVH * d.D;
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
    const sub = (t: F, n: number) => be.view(t, 0, n);
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
    const QD = d.NH * d.D;
    const KD = d.KVH * d.D;
    const x = sub(this.x, N * d.C);
    const xn = sub(this.xn, N * d.C);
    const rstd = sub(this.rstd, N);
    be.embeddingForward(x, tok, m.weight(Ln.embed), N, d.C);
    for (let l = 0; l < d.L; l++) {
      const n = Ln.layers[l];
      const W = (name: string) => m.weight(name);
      be.rmsnormForward(xn, rstd, x, W(n.inputNorm), N, d.C, d.eps);
      let q = sub(this.q, N * QD);
      let k = sub(this.k, N * KD);
      const v = sub(this.v, N * KD);
      be.matmulForward(q, xn, W(n.q), n.qBias ? W(n.qBias) : null, N, d.C, QD);
      be.matmulForward(k, xn, W(n.k), n.kBias ? W(n.kBias) : null, N, d.C, KD);
      be.matmulForward(v, xn, W(n.v), n.vBias ? W(n.vBias) : null, N, d.C, KD);
      if (n.qNorm && n.kNorm) {
        const qn = sub(this.qn, N * QD);
        const kn = sub(this.kn, N * KD);
        be.rmsnormForward(qn, sub(this.rstdH, N * d.NH), q, W(n.qNorm), N * d.NH, d.D, d.eps);
        be.rmsnormForward(kn, sub(this.rstdH, N * d.KVH), k, W(n.kNorm), N * d.KVH, d.D, d.eps);
        q = qn;
        k = kn;
      }
      be.ropeForward(q, posT, N, d.NH, d.D, d.ropeTheta);
      be.ropeForward(k, posT, N, d.KVH, d.D, d.ropeTheta);
      be.kvCacheWrite(cache.k[l], cache.v[l], k, v, rowsT, posT, B, S, d.KVH, d.D, this.maxT);
      const att = sub(this.att, N * QD);
      if (mode === 'prefill') {
        be.attentionForward(att, sub(this.lse, N * d.NH), q, k, v, B, S, d.NH, d.KVH, d.D);
      } else {
        be.decodeAttention(att, q, cache.k[l], cache.v[l], lensT, B, d.NH, d.KVH, d.D, this.maxT);
      }
      // x += o(att)
      be.matmulForward(xn, att, W(n.o), n.oBias ? W(n.oBias) : null, N, QD, d.C);
      be.accumulate(x, xn);
      be.rmsnormForward(xn, rstd, x, W(n.postNorm), N, d.C, d.eps);
      const gate = sub(this.gate, N * d.F);
      const up = sub(this.up, N * d.F);
      be.matmulForward(gate, xn, W(n.gate), null, N, d.C, d.F);
      be.matmulForward(up, xn, W(n.up), null, N, d.C, d.F);
      const mlp = sub(this.mlp, N * d.F);
      be.swigluForward(mlp, gate, up, N, d.F);
      be.matmulForward(xn, mlp, W(n.down), null, N, d.F, d.C);
      be.accumulate(x, xn);
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
    be.embeddingForward(xLast, idx, this.x, n, d.C);
    const xn = be.view(this.xn, 0, n * d.C);
    be.rmsnormForward(xn, be.view(this.rstd, 0, n), xLast, m.weight(m.layout.finalNorm), n, d.C, d.eps);
    const logits = be.view(this.logits, 0, n * d.V);
    be.matmulForward(logits, xn, m.weight(m.layout.lmHead), null, n, d.C, d.V);
    return logits;
  }

  dispose(): void {
    for (const t of this.owned) this.be.free(t);
  }
}
