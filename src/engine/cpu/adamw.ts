// AdamW with PyTorch's semantics (torch.optim.AdamW, decoupled weight decay), in place over one region of the
// flat parameter buffer: param *= 1 - lr*wd; m, v moments; param -= lr * mhat / (sqrt(vhat) + eps).
import type { FloatArray } from '../floats.ts';

/** param, grad, m, v: [P] (same length). t >= 1 is the step number used for bias correction (beta^t). */
export function adamw(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  t: number,
): void {
  checkAdamw(param, grad, m, v, t);
  const P = param.length;
  const decay = 1 - lr * weightDecay;
  const stepSize = lr / (1 - Math.pow(beta1, t));
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
  const a1 = 1 - beta1;
  const a2 = 1 - beta2;
  for (let i = 0; i < P; i++) {
    const g = grad[i];
    const mi = beta1 * m[i] + a1 * g;
    const vi = beta2 * v[i] + a2 * g * g;
    m[i] = mi;
    v[i] = vi;
    param[i] = param[i] * decay - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

/** Throws unless param, grad, m, v have the same length and t >= 1. */
export function checkAdamw(param: FloatArray, grad: FloatArray, m: FloatArray, v: FloatArray, t: number): void {
  const P = param.length;
  if (grad.length !== P || m.length !== P || v.length !== P) {
    throw new RangeError(`adamw: length mismatch (param ${P}, grad ${grad.length}, m ${m.length}, v ${v.length})`);
  }
  if (!(t >= 1)) throw new RangeError(`adamw: step t must be >= 1, got ${t}`);
}
