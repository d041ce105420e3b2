// The CPU reference backend: the Backend interface over Float32Array/Int32Array, delegating every layer to the
// plain kernel functions of this folder (which also run in f64 for gradient checks). Synchronous underneath.
import type { Backend } from '../backend.ts';
import { adamw } from './adamw.ts';
import { attentionBackward, attentionForward } from './attention.ts';
import { accumulate, add, copy, scale, sumSquares, zero } from './elementwise.ts';
import { embeddingBackward, embeddingForward } from './embedding.ts';
import { decodeAttention, kvCacheGather, kvCacheWrite } from './kvcache.ts';
import { logprobBackward, logprobForward } from './logprob.ts';
import { matmulBackward, matmulForward } from './matmul.ts';
import { rmsnormBackward, rmsnormForward } from './rmsnorm.ts';
import { ropeBackward, ropeForward } from './rope.ts';
import { swigluBackward, swigluForward } from './swiglu.ts';
import { randomUniform, Stream } from '../rng.ts';
import { sampleToken, type SamplerOptions } from '../sampling.ts';

export class CpuBackend implements Backend<Float32Array, Int32Array> {
  readonly name = 'cpu' as const;
  readonly deviceName: string = 'CPU (JavaScript)';
  private readonly f64: boolean;

  constructor(opts: { precision?: 'f32' | 'f64' } = {}) {
    // f64 exists for whole-model gradient checks only: every buffer (and every read) is then a Float64Array
    // at run time, typed as Float32Array, so finite differences keep full precision.
    this.f64 = opts.precision === 'f64';
    if (this.f64) this.deviceName = 'CPU (JavaScript, f64 test mode)';
  }

  // ---- memory ----
  allocFloat(length: number): Float32Array {
    return this.f64 ? (new Float64Array(length) as unknown as Float32Array) : new Float32Array(length);
  }
  allocInt(length: number): Int32Array {
    return new Int32Array(length);
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
  free(_t: Float32Array | Int32Array): void {
    // garbage collected
  }
  sync(): Promise<void> {
    return Promise.resolve();
  }

  // ---- layers, decoding, optimiser: the kernels themselves ----
  readonly embeddingForward = embeddingForward;
  readonly embeddingBackward = embeddingBackward;
  readonly rmsnormForward = rmsnormForward;
  readonly rmsnormBackward = rmsnormBackward;
  readonly matmulForward = matmulForward;
  readonly matmulBackward = matmulBackward;
  readonly ropeForward = ropeForward;
  readonly ropeBackward = ropeBackward;
  readonly attentionForward = attentionForward;
  readonly attentionBackward = attentionBackward;
  readonly swigluForward = swigluForward;
  readonly swigluBackward = swigluBackward;
  readonly add = add;
  readonly accumulate = accumulate;
  readonly logprobForward = logprobForward;
  readonly logprobBackward = logprobBackward;
  readonly kvCacheWrite = kvCacheWrite;
  readonly kvCacheGather = kvCacheGather;
  readonly decodeAttention = decodeAttention;
  readonly adamw = adamw;
  readonly scale = scale;

  sumSquares(x: Float32Array): Promise<number> {
    return Promise.resolve(sumSquares(x));
  }

  sampleTokens(out: Int32Array, logits: Float32Array, R: number, V: number, opts: SamplerOptions, seeds: Int32Array, step: number): void {
    for (let r = 0; r < R; r++) out[r] = sampleToken(logits, opts, randomUniform(seeds[r] >>> 0, Stream.sample, step), r * V, V);
  }
}
