// The CPU reference backend: the Backend interface over Float32Array/Int32Array, delegating every layer to the
// plain kernel functions of this folder (which also run in f64 for gradient checks). Synchronous underneath.
// With `threads` > 1 the heavy kernels (parallel.ts) are split across helper threads (pool.ts) sharing memory:
// tensors are then allocated in SharedArrayBuffers, and results are bit-identical to one thread. Calls too small
// to pay for the hand-off, and tensors not allocated here, run on the calling thread with the plain kernels.
// With `kernels: 'wasm'` (the default where WebAssembly SIMD compiles) the matmuls, the fused log-prob head,
// attention (decode's too) and SwiGLU run as WebAssembly SIMD (wasm/), on every thread alike; 'js' (or
// GRPO_CPU_KERNELS=js in Node) keeps the plain TypeScript ones.
import type { Backend } from '../backend.ts';
import { adamw } from './adamw.ts';
import * as jsAttention from './attention.ts';
import { accumulate, add, copy, scale, sumSquares, zero } from './elementwise.ts';
import { embeddingBackward, embeddingForward } from './embedding.ts';
import { decodeAttention, kvCacheGather, kvCacheWrite } from './kvcache.ts';
import * as jsHead from './logprob.ts';
import { loraBackward, loraForward } from './lora.ts';
import * as jsMatmul from './matmul.ts';
import { nonZeroRowsInto } from './matmul.ts';
import * as wasmAttention from './wasm/attention.ts';
import * as wasmKv from './wasm/kvcache.ts';
import * as wasmHead from './wasm/logprob.ts';
import * as wasmMatmul from './wasm/matmul.ts';
import * as wasmSwiglu from './wasm/swiglu.ts';
import { wasmUnavailable } from './wasm/runtime.ts';
import { rmsnormBackward, rmsnormForward } from './rmsnorm.ts';
import { ropeBackward, ropeForward } from './rope.ts';
import * as jsSwiglu from './swiglu.ts';
import { randomUniform, Stream } from '../rng.ts';
import { sampleToken, type SamplerOptions } from '../sampling.ts';
import { SPLIT_KERNELS, type Arg, type SplitKernelName } from './parallel.ts';
import { BufferRecycler } from './buffer-recycler.ts';
import { threadEnvironment, ThreadPool } from './pool.ts';
import { MAX_THREADS } from './thread.ts';

/** Freed shared buffers kept for reuse at most (a quarter of the memory budget when that is smaller). */
const RECYCLE_MAX_BYTES = 2 ** 30;

export interface CpuBackendOptions {
  /** 'f64' exists for whole-model gradient checks only (see the constructor). Default 'f32'. */
  precision?: 'f32' | 'f64';
  /**
   * Threads for the heavy kernels, the calling one included. Default 'auto': min(cores, 8) where helper threads
   * can run (Node; a Web Worker of a cross-origin-isolated page), else 1. 1 is the single-threaded reference path.
   */
  threads?: number | 'auto';
  /**
   * Multiply-adds each thread must get before a call is split, and 4 times the least a chunk gets (a tuning and
   * test knob). Default 262,144 (a few hundred microseconds: waking a thread costs tens, more on a busy machine).
   */
  minWorkPerThread?: number;
  /**
   * The memory a run may use on this machine (the memory plan refuses bigger runs before allocating). Default:
   * none. The CLI passes a share of the machine's memory, the trainer worker a conservative browser figure.
   */
  memoryBudgetBytes?: number;
  /**
   * 'wasm': the WebAssembly SIMD kernels (wasm/) where this context compiles them, else the TypeScript ones
   * (deviceName says why). 'js': the plain TypeScript kernels, the reference. Default: GRPO_CPU_KERNELS when set
   * (Node), else 'wasm'; precision 'f64' always uses 'js'.
   */
  kernels?: 'wasm' | 'js';
}

/** The kernels option's default: GRPO_CPU_KERNELS (Node) when set, else 'wasm'. */
function defaultKernels(): 'wasm' | 'js' {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.GRPO_CPU_KERNELS;
  if (env === undefined || env === '') return 'wasm';
  if (env !== 'wasm' && env !== 'js') throw new RangeError(`GRPO_CPU_KERNELS must be 'wasm' or 'js', got '${env}'`);
  return env;
}

type SplitArgs<K extends SplitKernelName> = Parameters<(typeof SPLIT_KERNELS)[K]['cost']>;

/**
 * A split call is cut into up to this many chunks per thread; threads take chunks as they come free, so a thread
 * the OS delays (a busy machine, a slow core) costs less than an even split would.
 */
const CHUNKS_PER_THREAD = 4;

export class CpuBackend implements Backend<Float32Array, Int32Array> {
  readonly name = 'cpu' as const;
  readonly maxTotalBytes: number | undefined;
  private readonly f64: boolean;
  private pool: ThreadPool | null;
  private readonly recycler: BufferRecycler;
  /** Why there are no threads though more than one was asked for (shown in deviceName). */
  private readonly noThreads: string;
  private readonly shared: boolean;
  private readonly minWork: number;
  /** 1 when the matmuls run as WebAssembly SIMD (passed to split kernels as their last argument), else 0. */
  private readonly wasm: 0 | 1;
  /** Why 'wasm' was asked for but the TypeScript kernels run (shown in deviceName). */
  private readonly noWasm: string;
  /** Kernel calls split across threads so far (for tests and the bench). */
  splitCalls = 0;
  /** Scratch for matmulBackward's non-zero rows, shared with the threads (grown on demand). */
  private rowsScratch: Int32Array | null = null;

  /** A backend whose threads (if any) are running, so deviceName says how many. */
  static async create(opts: CpuBackendOptions = {}): Promise<CpuBackend> {
    const be = new CpuBackend(opts);
    await be.ready;
    return be;
  }

  constructor(opts: CpuBackendOptions = {}) {
    // f64 exists for whole-model gradient checks only: every buffer (and every read) is then a Float64Array
    // at run time, typed as Float32Array, so finite differences keep full precision.
    this.f64 = opts.precision === 'f64';
    const threads = opts.threads ?? 'auto';
    if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
      throw new RangeError(`CpuBackend: threads must be 'auto' or an integer in [1, ${MAX_THREADS}], got ${threads}`);
    }
    this.minWork = opts.minWorkPerThread ?? 262_144;
    const kernels = opts.kernels ?? defaultKernels();
    if (kernels !== 'wasm' && kernels !== 'js') throw new RangeError(`CpuBackend: kernels must be 'wasm' or 'js', got ${String(kernels)}`);
    this.noWasm = kernels === 'wasm' && !this.f64 ? wasmUnavailable() : '';
    this.wasm = kernels === 'wasm' && !this.f64 && this.noWasm === '' ? 1 : 0;
    this.maxTotalBytes = opts.memoryBudgetBytes;
    const env = threadEnvironment();
    this.noThreads = threads !== 1 && env.kind === 'none' ? env.reason : '';
    // Threads start in the background; until they run, every kernel runs here (with the same results).
    this.pool = threads !== 1 && env.kind !== 'none' ? ThreadPool.acquire(threads, env) : null;
    this.shared = this.pool !== null;
    this.recycler = new BufferRecycler(Math.min(RECYCLE_MAX_BYTES, (opts.memoryBudgetBytes ?? Infinity) / 4));
  }

  /** Settles once the threads run or have given up (never rejects). */
  get ready(): Promise<void> {
    return this.pool?.ready ?? Promise.resolve();
  }

  /** Threads that compute a split kernel now, this one included. */
  get threads(): number {
    return this.pool?.size ?? 1;
  }

  /** Which kernels the matmuls run: 'wasm' (WebAssembly SIMD) or 'js' (plain TypeScript). */
  get kernels(): 'wasm' | 'js' {
    return this.wasm === 1 ? 'wasm' : 'js';
  }

  /** "CPU (JavaScript + WebAssembly SIMD, 4 threads)", or why it runs on one thread or without wasm. */
  get deviceName(): string {
    const notes: string[] = [];
    if (this.f64) notes.push('f64 test mode');
    if (this.noWasm) notes.push(this.noWasm);
    const pool = this.pool;
    if (pool?.status === 'running') notes.push(`${pool.size} threads`);
    else if (pool?.status === 'starting') notes.push(pool.target ? `starting ${pool.target} threads` : 'threads starting');
    else if (pool && pool.reason) notes.push(`1 thread: ${pool.reason}`);
    else if (this.noThreads) notes.push(`1 thread: ${this.noThreads}`);
    else notes.push('1 thread');
    return `CPU (JavaScript${this.wasm ? ' + WebAssembly SIMD' : ''}, ${notes.join(', ')})`;
  }

  /** Let the threads go (the last backend using them stops them); kernels then run on this thread. */
  dispose(): void {
    this.pool?.release();
    this.pool = null;
  }

  /**
   * Run a kernel split across the threads when they run and the call is big enough; false when the caller
   * should run the plain kernel instead. Arguments are checked here first, so a bad call throws the same error
   * either way.
   */
  private split<K extends SplitKernelName>(name: K, args: SplitArgs<K>): boolean {
    const pool = this.pool;
    if (pool === null || pool.status !== 'running') return false;
    const k = SPLIT_KERNELS[name] as unknown as {
      check(...a: Arg[]): void;
      cost(...a: Arg[]): { work: number; units: number };
    };
    const a = args as Arg[];
    k.check(...a);
    const { work, units } = k.cost(...a);
    const threads = Math.min(pool.size, units, Math.floor(work / this.minWork));
    if (threads < 2) return false;
    const chunks = Math.max(threads, Math.min(units, CHUNKS_PER_THREAD * threads, Math.floor((CHUNKS_PER_THREAD * work) / this.minWork)));
    if (!pool.run(name, a, threads, chunks)) return false;
    this.splitCalls++;
    return true;
  }

  // ---- memory ----
  allocFloat(length: number): Float32Array {
    if (this.f64) {
      const t = this.shared ? this.recycler.own(new Float64Array(this.recycler.take(8 * length), 0, length)) : new Float64Array(length);
      return t as unknown as Float32Array;
    }
    return this.shared ? this.recycler.own(new Float32Array(this.recycler.take(4 * length), 0, length)) : new Float32Array(length);
  }
  allocInt(length: number): Int32Array {
    return this.shared ? this.recycler.own(new Int32Array(this.recycler.take(4 * length), 0, length)) : new Int32Array(length);
  }
  view(t: Float32Array, offset: number, length: number): Float32Array {
    if (!(offset >= 0 && length >= 0 && offset + length <= t.length)) {
      throw new RangeError(`view [${offset}, ${offset + length}) is outside a tensor of length ${t.length}`);
    }
    return t.subarray(offset, offset + length);
  }
  viewInt(t: Int32Array, offset: number, length: number): Int32Array {
    if (!(offset >= 0 && length >= 0 && offset + length <= t.length)) {
      throw new RangeError(`viewInt [${offset}, ${offset + length}) is outside a tensor of length ${t.length}`);
    }
    return t.subarray(offset, offset + length);
  }
  uploadFloat(dst: Float32Array, src: Float32Array): void {
    if (src.length > dst.length) throw new RangeError(`uploadFloat: ${src.length} floats into a tensor of ${dst.length}`);
    dst.set(src);
  }
  uploadInt(dst: Int32Array, src: Int32Array): void {
    if (src.length > dst.length) throw new RangeError(`uploadInt: ${src.length} ints into a tensor of ${dst.length}`);
    dst.set(src);
  }
  readFloat(src: Float32Array): Promise<Float32Array> {
    return Promise.resolve(src.slice());
  }
  readInt(src: Int32Array): Promise<Int32Array> {
    return Promise.resolve(src.slice());
  }
  zero(t: Float32Array): void {
    zero(t);
  }
  copy(dst: Float32Array, src: Float32Array): void {
    copy(dst, src);
  }
  free(t: Float32Array | Int32Array): void {
    // Shared buffers are kept for reuse (buffer-recycler.ts says why); others are garbage collected, and the
    // helper threads let go of a shared buffer when told.
    if (this.shared && this.recycler.give(t)) return;
    this.pool?.forget(t.buffer);
  }
  sync(): Promise<void> {
    return Promise.resolve();
  }

  // ---- layers, decoding, optimiser: the kernels themselves, split across threads where parallel.ts says how ----
  readonly embeddingForward = embeddingForward;
  readonly embeddingBackward = embeddingBackward;
  readonly rmsnormBackward = rmsnormBackward;
  readonly ropeForward = ropeForward;
  readonly loraForward = loraForward; // r is small: not worth splitting across threads
  readonly loraBackward = loraBackward;
  readonly ropeBackward = ropeBackward;
  readonly add = add;
  readonly accumulate = accumulate;
  readonly kvCacheWrite = kvCacheWrite;
  readonly kvCacheGather = kvCacheGather;
  readonly scale = scale;

  rmsnormForward(out: Float32Array, rstd: Float32Array, inp: Float32Array, weight: Float32Array, N: number, C: number, eps: number): void {
    if (!this.split('rmsnormForward', [out, rstd, inp, weight, N, C, eps])) rmsnormForward(out, rstd, inp, weight, N, C, eps);
  }

  matmulForward(out: Float32Array, inp: Float32Array, weight: Float32Array, bias: Float32Array | null, N: number, C: number, OC: number): void {
    if (!this.split('matmulForward', [out, inp, weight, bias, N, C, OC, this.wasm])) this.matmul.matmulForward(out, inp, weight, bias, N, C, OC);
  }

  matmulBackward(
    dinp: Float32Array | null,
    dweight: Float32Array | null,
    dbias: Float32Array | null,
    dout: Float32Array,
    inp: Float32Array,
    weight: Float32Array,
    N: number,
    C: number,
    OC: number,
  ): void {
    if (this.pool?.status === 'running') {
      // The non-zero rows of dout, found once here rather than by every chunk.
      if (!this.rowsScratch || this.rowsScratch.length < N) this.rowsScratch = this.allocInt(Math.max(N, 2 * (this.rowsScratch?.length ?? 0)));
      const rows = nonZeroRowsInto(this.rowsScratch, dout, N, OC);
      if (this.split('matmulBackward', [dinp, dweight, dbias, dout, inp, weight, rows, C, OC, this.wasm])) return;
    }
    this.matmul.matmulBackward(dinp, dweight, dbias, dout, inp, weight, N, C, OC);
  }

  private get matmul(): typeof wasmMatmul {
    return this.wasm === 1 ? wasmMatmul : jsMatmul;
  }

  private get attention(): typeof wasmAttention {
    return this.wasm === 1 ? wasmAttention : jsAttention;
  }

  private get head(): typeof wasmHead {
    return this.wasm === 1 ? wasmHead : jsHead;
  }

  private get swiglu(): typeof wasmSwiglu {
    return this.wasm === 1 ? wasmSwiglu : jsSwiglu;
  }

  attentionForward(out: Float32Array, lse: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, B: number, T: number, NH: number, KVH: number, D: number): void {
    if (!this.split('attentionForward', [out, lse, q, k, v, B, T, NH, KVH, D, this.wasm])) this.attention.attentionForward(out, lse, q, k, v, B, T, NH, KVH, D);
  }

  attentionBackward(
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
    dout: Float32Array,
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    out: Float32Array,
    lse: Float32Array,
    B: number,
    T: number,
    NH: number,
    KVH: number,
    D: number,
  ): void {
    const args: SplitArgs<'attentionBackward'> = [dq, dk, dv, dout, q, k, v, out, lse, B, T, NH, KVH, D, this.wasm];
    if (!this.split('attentionBackward', args)) this.attention.attentionBackward(dq, dk, dv, dout, q, k, v, out, lse, B, T, NH, KVH, D);
  }

  swigluForward(out: Float32Array, gate: Float32Array, up: Float32Array, N: number, Fdim: number): void {
    if (!this.split('swigluForward', [out, gate, up, N, Fdim, this.wasm])) this.swiglu.swigluForward(out, gate, up, N, Fdim);
  }

  swigluBackward(dgate: Float32Array, dup: Float32Array, dout: Float32Array, gate: Float32Array, up: Float32Array, N: number, Fdim: number): void {
    if (!this.split('swigluBackward', [dgate, dup, dout, gate, up, N, Fdim, this.wasm])) this.swiglu.swigluBackward(dgate, dup, dout, gate, up, N, Fdim);
  }

  logprobForward(
    logp: Float32Array,
    lse: Float32Array,
    entropy: Float32Array,
    h: Float32Array,
    wlm: Float32Array,
    targets: Int32Array,
    N: number,
    C: number,
    V: number,
    temperature: number,
  ): void {
    const args: SplitArgs<'logprobForward'> = [logp, lse, entropy, h, wlm, targets, N, C, V, temperature, this.wasm];
    if (!this.split('logprobForward', args)) this.head.logprobForward(logp, lse, entropy, h, wlm, targets, N, C, V, temperature);
  }

  logprobBackward(
    dh: Float32Array,
    dwlm: Float32Array | null,
    dlogp: Float32Array,
    h: Float32Array,
    wlm: Float32Array,
    targets: Int32Array,
    lse: Float32Array,
    N: number,
    C: number,
    V: number,
    temperature: number,
  ): void {
    const args: SplitArgs<'logprobBackward'> = [dh, dwlm, dlogp, h, wlm, targets, lse, N, C, V, temperature, this.wasm];
    if (!this.split('logprobBackward', args)) this.head.logprobBackward(dh, dwlm, dlogp, h, wlm, targets, lse, N, C, V, temperature);
  }

  decodeAttention(out: Float32Array, q: Float32Array, kCache: Float32Array, vCache: Float32Array, len: Int32Array, B: number, NH: number, KVH: number, D: number, maxT: number): void {
    if (!this.split('decodeAttention', [out, q, kCache, vCache, len, B, NH, KVH, D, maxT, this.wasm])) {
      (this.wasm === 1 ? wasmKv.decodeAttention : decodeAttention)(out, q, kCache, vCache, len, B, NH, KVH, D, maxT);
    }
  }

  adamw(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, t: number): void {
    const args: SplitArgs<'adamw'> = [param, grad, m, v, lr, beta1, beta2, eps, weightDecay, t];
    if (!this.split('adamw', args)) adamw(...args);
  }

  /** For tests of the thread error path: run the testFailure kernel (parallel.ts) on every thread. */
  testFailure(exit: boolean): boolean {
    return this.pool !== null && this.pool.run('testFailure', [this.allocInt(1), exit ? 1 : 0], this.threads, this.threads);
  }

  sumSquares(x: Float32Array): Promise<number> {
    return Promise.resolve(sumSquares(x));
  }

  sampleTokens(out: Int32Array, logits: Float32Array, R: number, V: number, opts: SamplerOptions, seeds: Int32Array, step: number): void {
    for (let r = 0; r < R; r++) out[r] = sampleToken(logits, opts, randomUniform(seeds[r] >>> 0, Stream.sample, step), r * V, V);
  }
}
