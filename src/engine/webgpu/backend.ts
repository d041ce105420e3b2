// The WebGPU backend: the Backend interface of ../backend.ts over GPU buffers, every layer a WGSL kernel
// (kernels/*.wgsl with a thin TypeScript wrapper each), the CPU backend its oracle. Work is recorded into
// one command encoder and submitted only when a result is read back, so a phase costs few submits.
import type { Backend } from '../backend.ts';
import { GpuContext } from './context.ts';
import { acquireDevice } from './device.ts';
import { GpuTensor } from './tensor.ts';
import * as adamwK from './kernels/adamw.ts';
import * as attentionK from './kernels/attention.ts';
import * as elementwiseK from './kernels/elementwise.ts';
import * as embeddingK from './kernels/embedding.ts';
import * as kvcacheK from './kernels/kvcache.ts';
import * as logprobK from './kernels/logprob.ts';
import * as loraK from './kernels/lora.ts';
import * as matmulK from './kernels/matmul.ts';
import * as rmsnormK from './kernels/rmsnorm.ts';
import * as ropeK from './kernels/rope.ts';
import * as swigluK from './kernels/swiglu.ts';
import * as sampleK from './kernels/sample.ts';
import type { SamplerOptions } from '../sampling.ts';

type T = GpuTensor;

export class WebGpuBackend implements Backend<GpuTensor, GpuTensor> {
  readonly name = 'webgpu' as const;
  readonly deviceName: string;

  constructor(readonly ctx: GpuContext) {
    this.deviceName = ctx.adapterName;
  }

  /** Acquire a device from a GPU object (navigator.gpu, or nodeGpu() in Node). */
  static async create(gpu: GPU | undefined): Promise<WebGpuBackend> {
    const { device, adapterName } = await acquireDevice(gpu);
    return new WebGpuBackend(new GpuContext(device, adapterName));
  }

  get maxTensorBytes(): number {
    return this.ctx.device.limits.maxStorageBufferBindingSize;
  }

  /** Bytes of GPU memory held by live tensors (pooled buffers in use). */
  get bytesInUse(): number {
    return this.ctx.pool.bytesInUse;
  }

  destroy(): void {
    this.ctx.destroy();
  }

  // ---- memory ----
  allocFloat(length: number): T {
    return this.ctx.alloc(length, 'f32');
  }
  allocInt(length: number): T {
    return this.ctx.alloc(length, 'i32');
  }
  view(t: T, offset: number, length: number): T {
    return this.ctx.view(t, offset, length);
  }
  viewInt(t: T, offset: number, length: number): T {
    return this.ctx.view(t, offset, length);
  }
  uploadFloat(dst: T, src: Float32Array): void {
    this.ctx.upload(dst, src);
  }
  uploadInt(dst: T, src: Int32Array): void {
    this.ctx.upload(dst, src);
  }
  async readFloat(src: T): Promise<Float32Array> {
    return new Float32Array(await this.ctx.read(src));
  }
  async readInt(src: T): Promise<Int32Array> {
    return new Int32Array(await this.ctx.read(src));
  }
  zero(t: T): void {
    this.ctx.clear(t);
  }
  copy(dst: T, src: T): void {
    this.ctx.copy(dst, src);
  }
  free(t: T): void {
    this.ctx.free(t);
  }
  sync(): Promise<void> {
    return this.ctx.sync();
  }

  // ---- layers ----
  embeddingForward(out: T, tokens: T, wte: T, N: number, C: number): void {
    embeddingK.embeddingForward(this.ctx, out, tokens, wte, N, C);
  }
  embeddingBackward(dwte: T, dout: T, tokens: T, N: number, C: number): void {
    embeddingK.embeddingBackward(this.ctx, dwte, dout, tokens, N, C);
  }
  rmsnormForward(out: T, rstd: T, inp: T, weight: T, N: number, C: number, eps: number): void {
    rmsnormK.rmsnormForward(this.ctx, out, rstd, inp, weight, N, C, eps);
  }
  rmsnormBackward(dinp: T, dweight: T, dout: T, inp: T, weight: T, rstd: T, N: number, C: number): void {
    rmsnormK.rmsnormBackward(this.ctx, dinp, dweight, dout, inp, weight, rstd, N, C);
  }
  matmulForward(out: T, inp: T, weight: T, bias: T | null, N: number, C: number, OC: number): void {
    matmulK.matmulForward(this.ctx, out, inp, weight, bias, N, C, OC);
  }
  matmulBackward(dinp: T | null, dweight: T | null, dbias: T | null, dout: T, inp: T, weight: T, N: number, C: number, OC: number): void {
    matmulK.matmulBackward(this.ctx, dinp, dweight, dbias, dout, inp, weight, N, C, OC);
  }
  loraForward(out: T, u: T, inp: T, A: T, Bt: T, N: number, C: number, OC: number, r: number, scale: number): void {
    loraK.loraForward(this.ctx, out, u, inp, A, Bt, N, C, OC, r, scale);
  }
  loraBackward(dinp: T | null, dA: T, dBt: T, du: T, dout: T, inp: T, u: T, A: T, Bt: T, N: number, C: number, OC: number, r: number, scale: number): void {
    loraK.loraBackward(this.ctx, dinp, dA, dBt, du, dout, inp, u, A, Bt, N, C, OC, r, scale);
  }
  ropeForward(x: T, pos: T, N: number, H: number, D: number, theta: number): void {
    ropeK.ropeForward(this.ctx, x, pos, N, H, D, theta);
  }
  ropeBackward(dx: T, pos: T, N: number, H: number, D: number, theta: number): void {
    ropeK.ropeBackward(this.ctx, dx, pos, N, H, D, theta);
  }
  attentionForward(out: T, lse: T, q: T, k: T, v: T, B: number, Tn: number, NH: number, KVH: number, D: number): void {
    attentionK.attentionForward(this.ctx, out, lse, q, k, v, B, Tn, NH, KVH, D);
  }
  attentionBackward(dq: T, dk: T, dv: T, dout: T, q: T, k: T, v: T, out: T, lse: T, B: number, Tn: number, NH: number, KVH: number, D: number): void {
    attentionK.attentionBackward(this.ctx, dq, dk, dv, dout, q, k, v, out, lse, B, Tn, NH, KVH, D);
  }
  swigluForward(out: T, gate: T, up: T, N: number, F: number): void {
    swigluK.swigluForward(this.ctx, out, gate, up, N, F);
  }
  swigluBackward(dgate: T, dup: T, dout: T, gate: T, up: T, N: number, F: number): void {
    swigluK.swigluBackward(this.ctx, dgate, dup, dout, gate, up, N, F);
  }
  add(out: T, a: T, b: T): void {
    elementwiseK.add(this.ctx, out, a, b);
  }
  accumulate(acc: T, x: T): void {
    elementwiseK.accumulate(this.ctx, acc, x);
  }
  logprobForward(logp: T, lse: T, entropy: T, h: T, wlm: T, targets: T, N: number, C: number, V: number, temperature: number): void {
    logprobK.logprobForward(this.ctx, logp, lse, entropy, h, wlm, targets, N, C, V, temperature);
  }
  logprobBackward(dh: T, dwlm: T | null, dlogp: T, h: T, wlm: T, targets: T, lse: T, N: number, C: number, V: number, temperature: number): void {
    logprobK.logprobBackward(this.ctx, dh, dwlm, dlogp, h, wlm, targets, lse, N, C, V, temperature);
  }

  // ---- decoding ----
  kvCacheWrite(kCache: T, vCache: T, kNew: T, vNew: T, cacheRow: T, pos: T, B: number, S: number, KVH: number, D: number, maxT: number): void {
    kvcacheK.kvCacheWrite(this.ctx, kCache, vCache, kNew, vNew, cacheRow, pos, B, S, KVH, D, maxT);
  }
  kvCacheGather(dstK: T, dstV: T, srcK: T, srcV: T, srcRow: T, R: number, Tn: number, KVH: number, D: number, maxT: number): void {
    kvcacheK.kvCacheGather(this.ctx, dstK, dstV, srcK, srcV, srcRow, R, Tn, KVH, D, maxT);
  }
  decodeAttention(out: T, q: T, kCache: T, vCache: T, len: T, B: number, NH: number, KVH: number, D: number, maxT: number): void {
    kvcacheK.decodeAttention(this.ctx, out, q, kCache, vCache, len, B, NH, KVH, D, maxT);
  }

  sampleTokens(out: T, logits: T, R: number, V: number, opts: SamplerOptions, seeds: T, step: number): void {
    if (out.length !== R || logits.length !== R * V) throw new RangeError(`sampleTokens: expected ${R} rows of ${V} logits`);
    sampleK.sampleTokens(this.ctx, out, logits, opts, seeds, step);
  }

  // ---- optimiser ----
  adamw(param: T, grad: T, m: T, v: T, lr: number, beta1: number, beta2: number, eps: number, weightDecay: number, t: number): void {
    adamwK.adamw(this.ctx, param, grad, m, v, lr, beta1, beta2, eps, weightDecay, t);
  }
  sumSquares(x: T): Promise<number> {
    return elementwiseK.sumSquares(this.ctx, x);
  }
  scale(x: T, s: number): void {
    elementwiseK.scale(this.ctx, x, s);
  }
}
