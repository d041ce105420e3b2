// The kernel interface every backend implements (CPU reference now, WebGPU later) with identical names and
// semantics, so one model file (model.ts) drives both. Shapes use the letters of config.ts; arrays are
// row-major. Conventions, as in llm.c:
//   - a *Forward kernel OVERWRITES its outputs;
//   - a *Backward kernel ADDS into its gradient outputs (d-prefixed), zeroing is the separate `zero` step;
//     exceptions are marked "(overwrites)": intermediate gradients that have a single producer.
// F is the backend's float tensor (Float32Array on the CPU), I its int32 tensor (Int32Array on the CPU).
// Tensors may be views into a larger buffer (see `view`).

import type { SamplerOptions } from './sampling.ts';

export interface TensorLike {
  readonly length: number;
}

export interface Backend<F extends TensorLike = TensorLike, I extends TensorLike = TensorLike> {
  readonly name: 'cpu' | 'webgpu';
  /** Human-readable device name, e.g. "CPU (JavaScript)" or the GPU adapter. */
  readonly deviceName: string;
  /** Device memory held by live tensors, where the backend tracks it (the GPU). */
  readonly bytesInUse?: number;
  /** The largest single tensor the device can hold, where it is limited (the GPU's buffer binding size). */
  readonly maxTensorBytes?: number;
  /** The memory a whole run may use, where the backend has a budget (the CPU: from the machine's memory). */
  readonly maxTotalBytes?: number;

  // ---- memory ----
  allocFloat(length: number): F; // zero-filled
  allocInt(length: number): I; // zero-filled
  view(t: F, offset: number, length: number): F; // a sub-range sharing storage
  viewInt(t: I, offset: number, length: number): I;
  uploadFloat(dst: F, src: Float32Array): void;
  uploadInt(dst: I, src: Int32Array): void;
  readFloat(src: F): Promise<Float32Array>; // a copy
  readInt(src: I): Promise<Int32Array>; // a copy
  zero(t: F): void;
  copy(dst: F, src: F): void; // same length
  free(t: F | I): void;
  /** Wait for queued work (no-op on the CPU). */
  sync(): Promise<void>;

  // ---- layers (forward/backward pairs) ----

  /** out[N,C] = wte[tokens[n], :] */
  embeddingForward(out: F, tokens: I, wte: F, N: number, C: number): void;
  /** dwte[tokens[n], :] += dout[n, :] */
  embeddingBackward(dwte: F, dout: F, tokens: I, N: number, C: number): void;

  /** out[N,C] = inp / rms(inp) * weight; rstd[N] = 1/sqrt(mean(inp^2)+eps) (saved for backward). */
  rmsnormForward(out: F, rstd: F, inp: F, weight: F, N: number, C: number, eps: number): void;
  /** dinp[N,C] += ..., dweight[C] += ... */
  rmsnormBackward(dinp: F, dweight: F, dout: F, inp: F, weight: F, rstd: F, N: number, C: number): void;

  /** out[N,OC] = inp[N,C] @ weight[OC,C]^T (+ bias[OC]) */
  matmulForward(out: F, inp: F, weight: F, bias: F | null, N: number, C: number, OC: number): void;
  /**
   * dinp[N,C] += dout @ weight; dweight[OC,C] += dout^T @ inp; dbias[OC] += sum_n dout. dinp may be null (skip);
   * dweight null (a frozen weight, LoRA) skips the weight and bias gradients.
   */
  matmulBackward(
    dinp: F | null,
    dweight: F | null,
    dbias: F | null,
    dout: F,
    inp: F,
    weight: F,
    N: number,
    C: number,
    OC: number,
  ): void;

  /**
   * LoRA on a linear layer (Hu et al. 2021): out[N,OC] += u @ Bt with u[N,r] = scale * inp[N,C] @ A[r,C]^T
   * (u overwritten, kept for backward). Bt[r,OC] is PEFT's lora_B.weight [OC,r] transposed. scale = alpha / r.
   */
  loraForward(out: F, u: F, inp: F, A: F, Bt: F, N: number, C: number, OC: number, r: number, scale: number): void;
  /** du[N,r] = scale * dout @ Bt^T (overwrites, scratch); dBt += u^T @ dout; dA += du^T @ inp; dinp += du @ A (null: skip). */
  loraBackward(
    dinp: F | null,
    dA: F,
    dBt: F,
    du: F,
    dout: F,
    inp: F,
    u: F,
    A: F,
    Bt: F,
    N: number,
    C: number,
    OC: number,
    r: number,
    scale: number,
  ): void;

  /**
   * Rotary embedding in place on x[N, H, D] (H heads), transformers' rotate_half convention: the pair is
   * (x[i], x[i + D/2]) with angle pos[n] * theta^(-2i/D), i < D/2.
   */
  ropeForward(x: F, pos: I, N: number, H: number, D: number, theta: number): void;
  /** In place on dx[N, H, D]: the inverse rotation (overwrites, the gradient of a rotation). */
  ropeBackward(dx: F, pos: I, N: number, H: number, D: number, theta: number): void;

  /**
   * Causal grouped-query attention over right-padded sequences (padding sits after real tokens, so the
   * causal mask alone keeps it out of every real row).
   * q[B,T,NH,D], k,v[B,T,KVH,D] -> out[B,T,NH,D]; lse[B,NH,T] = logsumexp of the scaled scores of each row
   * (saved for backward instead of the [T,T] probabilities). Scale 1/sqrt(D). Head h reads kv head h/(NH/KVH).
   */
  attentionForward(out: F, lse: F, q: F, k: F, v: F, B: number, T: number, NH: number, KVH: number, D: number): void;
  /** dq (overwrites), dk, dv (overwrite) from dout, recomputing probabilities from lse. */
  attentionBackward(
    dq: F,
    dk: F,
    dv: F,
    dout: F,
    q: F,
    k: F,
    v: F,
    out: F,
    lse: F,
    B: number,
    T: number,
    NH: number,
    KVH: number,
    D: number,
  ): void;

  /** out[N,F] = silu(gate) * up */
  swigluForward(out: F, gate: F, up: F, N: number, Fdim: number): void;
  /** dgate, dup (overwrite) from dout[N,F]. */
  swigluBackward(dgate: F, dup: F, dout: F, gate: F, up: F, N: number, Fdim: number): void;

  /** out = a + b (elementwise, same length; out must not alias a or b). */
  add(out: F, a: F, b: F): void;
  /** acc += x */
  accumulate(acc: F, x: F): void;

  /**
   * Fused LM head + log-softmax + gather, chunked over the vocabulary with an online log-sum-exp, never
   * holding [N,V] logits. z = (h[n] . w[v]) / temperature.
   * logp[N] = z[target] - lse; lse[N] (saved); entropy[N] = -sum_v p_v log p_v.
   */
  logprobForward(logp: F, lse: F, entropy: F, h: F, wlm: F, targets: I, N: number, C: number, V: number, temperature: number): void;
  /**
   * dh[N,C] += sum_v g[n,v] w[v]; dwlm[V,C] += sum_n g[n,v] h[n], g = dlogp[n] * (onehot - softmax) / temperature.
   * dwlm null (a frozen head, LoRA) skips the head's gradient.
   */
  logprobBackward(
    dh: F,
    dwlm: F | null,
    dlogp: F,
    h: F,
    wlm: F,
    targets: I,
    lse: F,
    N: number,
    C: number,
    V: number,
    temperature: number,
  ): void;

  // ---- decoding ----

  /**
   * Write k/v rows of new tokens into the cache. kNew,vNew[B,S,KVH,D]; cache[Bc, maxT, KVH, D];
   * row b of the new tokens goes to cache row cacheRow[b] at positions pos[b*S + s].
   */
  kvCacheWrite(kCache: F, vCache: F, kNew: F, vNew: F, cacheRow: I, pos: I, B: number, S: number, KVH: number, D: number, maxT: number): void;
  /** Copy cache rows: dst row r <- src row srcRow[r], positions [0, T). Used to share one prefill across G samples. */
  kvCacheGather(dstK: F, dstV: F, srcK: F, srcV: F, srcRow: I, R: number, T: number, KVH: number, D: number, maxT: number): void;
  /**
   * One decode step: q[B,NH,D] attends to cache row b over positions [0, len[b]) -> out[B,NH,D].
   */
  decodeAttention(out: F, q: F, kCache: F, vCache: F, len: I, B: number, NH: number, KVH: number, D: number, maxT: number): void;

  /**
   * Sample one token per row: out[R] <- a token from logits[R,V] with temperature/top-k/top-p (greedy at
   * temperature 0), u = randomUniform(seeds[r], Stream.sample, step) (see sampling.ts). On the GPU only the
   * R tokens come back to the host.
   */
  sampleTokens(out: I, logits: F, R: number, V: number, opts: SamplerOptions, seeds: I, step: number): void;

  // ---- optimiser ----

  /** AdamW (decoupled weight decay, bias correction with step t >= 1) in place over a region. */
  adamw(
    param: F,
    grad: F,
    m: F,
    v: F,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    t: number,
  ): void;
  /** sum(x^2) */
  sumSquares(x: F): Promise<number>;
  /** x *= s */
  scale(x: F, s: number): void;
}
