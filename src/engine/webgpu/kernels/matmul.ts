// Linear layer kernels on WebGPU, the twins of cpu/matmul.ts: forward (NT form), and backward as three kernels
// (NN form for dinp, TN form for dweight, a column sum for dbias) that add into the gradients. Each matmul
// kernel gets its two input operands from a loader prelude: vec4 loads when every row length involved is a
// multiple of 4, element loads otherwise (tiny test shapes such as C = 6).
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import loadVec4 from './matmul_load_vec4.wgsl?raw';
import loadScalar from './matmul_load_scalar.wgsl?raw';
import forwardCode from './matmul_forward.wgsl?raw';
import backwardInputCode from './matmul_backward_input.wgsl?raw';
import backwardWeightCode from './matmul_backward_weight.wgsl?raw';
import backwardBiasCode from './matmul_backward_bias.wgsl?raw';

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

/** Threads per workgroup along columns (TX) and rows (TY), each thread a 4x4 block; TK-deep stages. */
const TILE = { TX: 16, TY: 16, TK: 16 };
/** A shorter tile for few rows (decode steps): 16 x 64 outputs per workgroup instead of 64 x 64. */
const TILE_FEW_ROWS = { TX: 16, TY: 4, TK: 16 };
const BIAS_TILE = { BX: 64, BY: 4 };

function tileFor(rows: number) {
  return rows <= 16 ? TILE_FEW_ROWS : TILE;
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
  const spec = C % 4 === 0 ? FORWARD.vec4 : FORWARD.scalar;
  const tile = tileFor(N);
  ctx.dispatch(
    spec,
    [inp, weight, bias ?? weight, out], // without a bias, bind any tensor in its place (never read)
    [['u32', N], ['u32', C], ['u32', OC], ['u32', bias ? 1 : 0]],
    [Math.ceil(OC / (4 * tile.TX)), Math.ceil(N / (4 * tile.TY))],
    tile,
  );
}

/**
 * dinp[N,C] += dout @ weight (skipped when dinp is null); dweight[OC,C] += dout^T @ inp;
 * dbias[OC] += sum_n dout (skipped when null). dout[N,OC], inp[N,C], weight[OC,C].
 */
export function matmulBackward(
  ctx: GpuContext,
  dinp: GpuTensor | null,
  dweight: GpuTensor,
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
  checkLength('matmulBackward dweight', dweight, OC * C);
  const vec4 = C % 4 === 0 && OC % 4 === 0;
  const dims: [['u32', number], ['u32', number], ['u32', number]] = [['u32', N], ['u32', C], ['u32', OC]];
  if (dinp) {
    checkLength('matmulBackward dinp', dinp, N * C);
    const tile = tileFor(N);
    ctx.dispatch(vec4 ? BACKWARD_INPUT.vec4 : BACKWARD_INPUT.scalar, [dout, weight, dinp], dims, [
      Math.ceil(C / (4 * tile.TX)),
      Math.ceil(N / (4 * tile.TY)),
    ], tile);
  }
  ctx.dispatch(vec4 ? BACKWARD_WEIGHT.vec4 : BACKWARD_WEIGHT.scalar, [dout, inp, dweight], dims, [
    Math.ceil(C / (4 * TILE.TX)),
    Math.ceil(OC / (4 * TILE.TY)),
  ], TILE);
  if (dbias) {
    checkLength('matmulBackward dbias', dbias, OC);
    ctx.dispatch(BACKWARD_BIAS, [dout, dbias], [['u32', N], ['u32', OC]], [Math.ceil(OC / BIAS_TILE.BX)], BIAS_TILE);
  }
}
