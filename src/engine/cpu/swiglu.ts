// SwiGLU MLP activation: out = silu(gate) * up with silu(x) = x / (1 + exp(-x)), as in transformers' LlamaMLP.
// Forward overwrites out; backward overwrites dgate and dup (single producer).
import type { FloatArray } from '../floats.ts';

/** gate[N,F], up[N,F] -> out[N,F]. */
export function swigluForward(out: FloatArray, gate: FloatArray, up: FloatArray, N: number, Fdim: number): void {
  const len = N * Fdim;
  for (let i = 0; i < len; i++) {
    const g = gate[i];
    out[i] = (g / (1 + Math.exp(-g))) * up[i];
  }
}

/** dout[N,F] -> dgate[N,F], dup[N,F] (overwrite). silu'(g) = s (1 + g (1 - s)), s = sigmoid(g). */
export function swigluBackward(
  dgate: FloatArray,
  dup: FloatArray,
  dout: FloatArray,
  gate: FloatArray,
  up: FloatArray,
  N: number,
  Fdim: number,
): void {
  const len = N * Fdim;
  for (let i = 0; i < len; i++) {
    const g = gate[i];
    const dy = dout[i];
    const s = 1 / (1 + Math.exp(-g));
    dup[i] = dy * g * s;
    dgate[i] = dy * up[i] * s * (1 + g * (1 - s));
  }
}
