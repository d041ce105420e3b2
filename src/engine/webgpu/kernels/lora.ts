// LoRA on WebGPU, the twin of cpu/lora.ts: out += scale * (inp @ A^T) @ B^T with B kept as Bt[r,OC], composed
// from the three register-tiled matmul forms (NT, NN, TN) and the scale kernel. No dedicated kernel: the adapter
// products cost r/OC of the frozen layer's (r = 8..32 against OC = 576..4864, a few percent), so the tiles the
// matmul wastes on the thin [N,r] side do not pay for a kernel of their own.
import type { GpuContext } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { matmulAddNN, matmulBackward, matmulForward } from './matmul.ts';
import { scale as scaleKernel } from './elementwise.ts';

function checkLength(what: string, t: GpuTensor, need: number): void {
  if (t.length < need) throw new RangeError(`${what}: tensor of length ${t.length}, need ${need}`);
}

/** The first n elements of t (t itself when it is exactly n long), so an in-place kernel touches only those. */
function head(ctx: GpuContext, t: GpuTensor, n: number): GpuTensor {
  return t.length === n ? t : ctx.view(t, 0, n);
}

/** u[N,r] = scale * inp[N,C] @ A[r,C]^T (overwrites, saved for backward); out[N,OC] += u @ Bt[r,OC]. */
export function loraForward(
  ctx: GpuContext,
  out: GpuTensor,
  u: GpuTensor,
  inp: GpuTensor,
  A: GpuTensor,
  Bt: GpuTensor,
  N: number,
  C: number,
  OC: number,
  r: number,
  scale: number,
): void {
  checkLength('loraForward u', u, N * r);
  checkLength('loraForward Bt', Bt, r * OC);
  matmulForward(ctx, u, inp, A, null, N, C, r);
  scaleKernel(ctx, head(ctx, u, N * r), scale);
  matmulAddNN(ctx, out, u, Bt, N, r, OC);
}

/**
 * du[N,r] = scale * dout @ Bt^T (overwrites, scratch); dBt[r,OC] += u^T @ dout; dA[r,C] += du^T @ inp;
 * dinp[N,C] += du @ A (skipped when null).
 */
export function loraBackward(
  ctx: GpuContext,
  dinp: GpuTensor | null,
  dA: GpuTensor,
  dBt: GpuTensor,
  du: GpuTensor,
  dout: GpuTensor,
  inp: GpuTensor,
  u: GpuTensor,
  A: GpuTensor,
  Bt: GpuTensor,
  N: number,
  C: number,
  OC: number,
  r: number,
  scale: number,
): void {
  checkLength('loraBackward du', du, N * r);
  checkLength('loraBackward u', u, N * r);
  matmulForward(ctx, du, dout, Bt, null, N, OC, r);
  scaleKernel(ctx, head(ctx, du, N * r), scale);
  // The TN form: matmulBackward's weight gradient with (dout, inp) = (u, dout) gives u^T @ dout.
  matmulBackward(ctx, null, dBt, null, u, dout, Bt, N, OC, r);
  matmulBackward(ctx, dinp, dA, null, du, inp, A, N, C, r);
}
