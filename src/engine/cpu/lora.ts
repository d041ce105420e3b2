// LoRA on a linear layer (Hu et al. 2021, arXiv:2106.09685): out += scale * (inp @ A^T) @ B^T, scale = alpha / r.
// The reference twin of webgpu/kernels/lora.ts. B is kept transposed, Bt[r,OC] (PEFT's lora_B.weight is [OC,r]),
// so on the GPU every product below is one of the three existing matmul forms. Plain loops: r is small (1-64).
import type { FloatArray } from '../floats.ts';

/**
 * inp[N,C], A[r,C], Bt[r,OC] -> u[N,r] = scale * inp @ A^T (overwrites; saved for backward),
 * out[N,OC] += u @ Bt (adds onto the frozen layer's output).
 */
export function loraForward(
  out: FloatArray,
  u: FloatArray,
  inp: FloatArray,
  A: FloatArray,
  Bt: FloatArray,
  N: number,
  C: number,
  OC: number,
  r: number,
  scale: number,
): void {
  for (let n = 0; n < N; n++) {
    const ip = n * C;
    for (let j = 0; j < r; j++) {
      const ap = j * C;
      let s = 0;
      for (let c = 0; c < C; c++) s += inp[ip + c] * A[ap + c];
      u[n * r + j] = scale * s;
    }
  }
  for (let n = 0; n < N; n++) {
    const op = n * OC;
    for (let j = 0; j < r; j++) {
      const x = u[n * r + j];
      if (x === 0) continue;
      const bp = j * OC;
      for (let o = 0; o < OC; o++) out[op + o] += x * Bt[bp + o];
    }
  }
}

/**
 * From dout[N,OC] and the forward's inp[N,C], u[N,r]:
 *   du[N,r] = scale * dout @ Bt^T (overwrites; caller's scratch), dBt[r,OC] += u^T @ dout,
 *   dA[r,C] += du^T @ inp, dinp[N,C] += du @ A (skipped when dinp is null).
 */
export function loraBackward(
  dinp: FloatArray | null,
  dA: FloatArray,
  dBt: FloatArray,
  du: FloatArray,
  dout: FloatArray,
  inp: FloatArray,
  u: FloatArray,
  A: FloatArray,
  Bt: FloatArray,
  N: number,
  C: number,
  OC: number,
  r: number,
  scale: number,
): void {
  for (let n = 0; n < N; n++) {
    const op = n * OC;
    for (let j = 0; j < r; j++) {
      const bp = j * OC;
      let s = 0;
      for (let o = 0; o < OC; o++) s += dout[op + o] * Bt[bp + o];
      du[n * r + j] = scale * s;
      const x = u[n * r + j];
      if (x !== 0) for (let o = 0; o < OC; o++) dBt[bp + o] += x * dout[op + o];
    }
  }
  for (let n = 0; n < N; n++) {
    const ip = n * C;
    for (let j = 0; j < r; j++) {
      const g = du[n * r + j];
      if (g === 0) continue;
      const ap = j * C;
      for (let c = 0; c < C; c++) dA[ap + c] += g * inp[ip + c];
      if (dinp) for (let c = 0; c < C; c++) dinp[ip + c] += g * A[ap + c];
    }
  }
}

/** W[OC,C] += scale * B A = scale * Bt^T A (merging an adapter into its frozen weight, for export). */
export function loraMerge(W: FloatArray, A: FloatArray, Bt: FloatArray, C: number, OC: number, r: number, scale: number): void {
  for (let o = 0; o < OC; o++) {
    const wp = o * C;
    for (let j = 0; j < r; j++) {
      const b = scale * Bt[j * OC + o];
      if (b === 0) continue;
      const ap = j * C;
      for (let c = 0; c < C; c++) W[wp + c] += b * A[ap + c];
    }
  }
}
