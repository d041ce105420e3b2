// Linear layer kernels on WebGPU, the twins of cpu/matmul.ts: forward (NT form), and backward as three kernels
// (NN form for dinp, TN form for dweight, a column sum for dbias) that add into the gradients. Each matmul
// kernel gets its two input operands from a loader prelude: vec4 loads when every row length involved is a
// multiple of 4, element loads otherwise (tiny test shapes such as C = 6). Forward calls with a few rows (decode)
// go to the matvec kernel instead (matvec.ts), whose workgroups do not spend a 64-row tile on N = 1..8 rows.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import loadVec4 from './matmul_load_vec4.wgsl?raw';
import loadScalar from './matmul_load_scalar.wgsl?raw';
import forwardCode from './matmul_forward.wgsl?raw';
import backwardInputCode from './matmul_backward_input.wgsl?raw';
import backwardWeightCode from './matmul_backward_weight.wgsl?raw';
import backwardBiasCode from './matmul_backward_bias.wgsl?raw';
import { MATVEC_ROUTING, matvecForward } from './matvec.ts';

/** A matmul kernel in its two operand-loading variants. */
function variants(name: string, body: string, bindings: KernelSpec['bindings']) {
  return {
    vec4: { name: `${name}_vec4`, code: `${loadVec4}\n${body}`, bindings } satisfies KernelSpec,
    scalar: { name, code: `${loadScalar}\n${body}`, bindings } satisfies KernelSpec,
  };
}

const FORWARD = variants('matmul_forward', forwardCode, ['read', 'read', 'read', 'rw']);
const BACKWARD_INPUT = variants('matmul_backward_input', backwardInputCode, ['read', 'read', 'rw']);
const BACKWARD_WEIGHT = variants('matmul_backward_weight', backwardWeightCode, ['read', 'read', 'rw']);
const BACKWARD_BIAS: KernelSpec = { name: 'matmul_backward_bias', code: backwardBiasCode, bindings: ['read', 'rw'] };

/**
 * Threads per workgroup along columns (TX) and rows (TY), each thread an 8x8 block (a 64 x 64 tile of the
 * output); TK-deep stages. On SwiftShader this ran about twice as fast as 16 x 16 threads of 4x4 blocks.
 */
const TILE = { TX: 8, TY: 8, TK: 16 };
const BIAS_TILE = { BX: 32, BY: 2 }; // 64 threads: SwiftShader makes large workgroups with barriers slow

/** Workgroups covering a [rows, cols] output with TILE. */
function tiles(rows: number, cols: number): [number, number] {
  return [Math.ceil(cols / (8 * TILE.TX)), Math.ceil(rows / (8 * TILE.TY))];
}

function checkLength(what: string, t: GpuTensor, need: number): void {
  if (t.length < need) throw new RangeError(`${what}: tensor of length ${t.length}, need ${need}`);
}

/** out[N,OC] = inp[N,C] @ weight[OC,C]^T (+ bias[OC]); overwrites out. */
export function matmulForward(
  ctx: GpuContext,
  out: GpuTensor,
  inp: GpuTensor,
  weight: GpuTensor,
  bias: GpuTensor | null,
  N: number,
  C: number,
  OC: number,
): void {
  checkLength('matmulForward out', out, N * OC);
  checkLength('matmulForward inp', inp, N * C);
  checkLength('matmulForward weight', weight, OC * C);
  if (bias) checkLength('matmulForward bias', bias, OC);
  if (N <= MATVEC_ROUTING.maxRows) {
    // decode-shaped (a few rows): a 64-row tile would be mostly empty
    matvecForward(ctx, out, inp, { kind: 'f32', tensor: weight }, bias, N, C, OC);
    return;
  }
  const spec = C % 4 === 0 ? FORWARD.vec4 : FORWARD.scalar;
  ctx.dispatch(
    spec,
    [inp, weight, bias ?? weight, out], // without a bias, bind any tensor in its place (never read)
    [['u32', N], ['u32', C], ['u32', OC], ['u32', bias ? 1 : 0]],
    tiles(N, OC),
    TILE,
  );
}

/**
 * out[N,C] += a[N,K] @ b[K,C] (the NN form alone, adding; matmulBackward's input-gradient kernel). Used where a
 * product must add onto an existing output, e.g. LoRA's up-projection (lora.ts).
 */
export function matmulAddNN(ctx: GpuContext, out: GpuTensor, a: GpuTensor, b: GpuTensor, N: number, K: number, C: number): void {
  checkLength('matmulAddNN out', out, N * C);
  checkLength('matmulAddNN a', a, N * K);
  checkLength('matmulAddNN b', b, K * C);
  const vec4 = C % 4 === 0 && K % 4 === 0;
  ctx.dispatch(vec4 ? BACKWARD_INPUT.vec4 : BACKWARD_INPUT.scalar, [a, b, out], [['u32', N], ['u32', C], ['u32', K]], tiles(N, C), TILE);
}

/**
 * dinp[N,C] += dout @ weight (skipped when dinp is null); dweight[OC,C] += dout^T @ inp;
 * dbias[OC] += sum_n dout (skipped when null; both skipped when dweight is null, a frozen weight). dout[N,OC], inp[N,C], weight[OC,C].
 */
export function matmulBackward(
  ctx: GpuContext,
  dinp: GpuTensor | null,
  dweight: GpuTensor | null,
  dbias: GpuTensor | null,
  dout: GpuTensor,
  inp: GpuTensor,
  weight: GpuTensor,
  N: number,
  C: number,
  OC: number,
): void {
  checkLength('matmulBackward dout', dout, N * OC);
  checkLength('matmulBackward inp', inp, N * C);
  checkLength('matmulBackward weight', weight, OC * C);
  if (dweight) checkLength('matmulBackward dweight', dweight, OC * C);
  const vec4 = C % 4 === 0 && OC % 4 === 0;
  const dims: [['u32', number], ['u32', number], ['u32', number]] = [['u32', N], ['u32', C], ['u32', OC]];
  if (dinp) {
    checkLength('matmulBackward dinp', dinp, N * C);
    ctx.dispatch(vec4 ? BACKWARD_INPUT.vec4 : BACKWARD_INPUT.scalar, [dout, weight, dinp], dims, tiles(N, C), TILE);
  }
  if (!dweight) return; // a frozen weight: no weight or bias gradient
  ctx.dispatch(vec4 ? BACKWARD_WEIGHT.vec4 : BACKWARD_WEIGHT.scalar, [dout, inp, dweight], dims, tiles(OC, C), TILE);
  if (dbias) {
    checkLength('matmulBackward dbias', dbias, OC);
    ctx.dispatch(BACKWARD_BIAS, [dout, dbias], [['u32', N], ['u32', OC]], [Math.ceil(OC / BIAS_TILE.BX)], BIAS_TILE);
  }
}
