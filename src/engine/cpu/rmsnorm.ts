// RMSNorm as in transformers' LlamaRMSNorm: y = x * rsqrt(mean(x^2) + eps) * weight, statistics in (at least) fp32.
// Forward overwrites out and rstd; backward adds into dinp and dweight.
import type { FloatArray } from '../floats.ts';

/** inp[N,C], weight[C] -> out[N,C]; rstd[N] = 1/sqrt(mean(inp[n]^2) + eps), saved for backward. */
export function rmsnormForward(
  out: FloatArray,
  rstd: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  N: number,
  C: number,
  eps: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    let ss = 0;
    for (let c = 0; c < C; c++) {
      const x = inp[o + c];
      ss += x * x;
    }
    const r = 1 / Math.sqrt(ss / C + eps);
    rstd[n] = r;
    for (let c = 0; c < C; c++) out[o + c] = inp[o + c] * r * weight[c];
  }
}

/**
 * dout[N,C], inp[N,C], weight[C], rstd[N] -> dinp[N,C] +=, dweight[C] +=.
 * With y_i = w_i x_i r: dx_j = r w_j dy_j - x_j r^3 / C * sum_i(dy_i w_i x_i); dw_i = dy_i x_i r.
 */
export function rmsnormBackward(
  dinp: FloatArray,
  dweight: FloatArray,
  dout: FloatArray,
  inp: FloatArray,
  weight: FloatArray,
  rstd: FloatArray,
  N: number,
  C: number,
): void {
  for (let n = 0; n < N; n++) {
    const o = n * C;
    const r = rstd[n];
    let dot = 0;
    for (let c = 0; c < C; c++) dot += dout[o + c] * weight[c] * inp[o + c];
    const k = (dot * r * r * r) / C;
    for (let c = 0; c < C; c++) {
      const dy = dout[o + c];
      const x = inp[o + c];
      dinp[o + c] += r * weight[c] * dy - k * x;
      dweight[c] += dy * x * r;
    }
  }
}
