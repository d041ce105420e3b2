// Frozen weights in half precision on the GPU (bf16 or f16, two per u32, see half.ts): the forward and the input
// gradient of a linear layer read them through matmul_load_half.wgsl and compute in f32. Frozen weights get no
// weight gradient, so these two are the whole backward a frozen layer needs. Half the bytes of the f32 path.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { packHalves, type HalfFormat } from '../../half.ts';
import loadHalf from './matmul_load_half.wgsl?raw';
import forwardCode from './matmul_forward.wgsl?raw';
import backwardInputCode from './matmul_backward_input.wgsl?raw';
import { MATVEC_ROUTING, matvecForward } from './matvec.ts';

const FORWARD_HALF: KernelSpec = { name: 'matmul_forward_half', code: `${loadHalf}\n${forwardCode}`, bindings: ['read', 'read', 'read', 'rw'] };
const BACKWARD_INPUT_HALF: KernelSpec = {
  name: 'matmul_backward_input_half',
  code: `${loadHalf}\n${backwardInputCode}`,
  bindings: ['read', 'read', 'rw'],
};
const TILE = { TX: 8, TY: 8, TK: 16 }; // as matmul.ts

/** A weight [OC,C] held as packed halves: `words` has ceil(length/2) u32 elements. */
export interface HalfWeight {
  readonly words: GpuTensor;
  readonly format: HalfFormat;
  readonly length: number; // elements (halves)
}

/** Round `values` to `format` and upload them packed (throws on values the format cannot hold). */
export function uploadHalfWeight(ctx: GpuContext, values: Float32Array, format: HalfFormat, what = 'weight'): HalfWeight {
  const packed = packHalves(values, format, what);
  const words = ctx.alloc(packed.length, 'i32');
  ctx.upload(words, new Int32Array(packed.buffer, packed.byteOffset, packed.length));
  return { words, format, length: values.length };
}

function check(what: string, have: number, need: number): void {
  if (have < need) throw new RangeError(`${what}: tensor of length ${have}, need ${need}`);
}

const tiles = (rows: number, cols: number): [number, number] => [Math.ceil(cols / (8 * TILE.TX)), Math.ceil(rows / (8 * TILE.TY))];

/** out[N,OC] = inp[N,C] @ W[OC,C]^T (+ bias[OC]) with W in half precision; overwrites out. */
export function matmulForwardHalf(
  ctx: GpuContext,
  out: GpuTensor,
  inp: GpuTensor,
  weight: HalfWeight,
  bias: GpuTensor | null,
  N: number,
  C: number,
  OC: number,
): void {
  check('matmulForwardHalf out', out.length, N * OC);
  check('matmulForwardHalf inp', inp.length, N * C);
  check('matmulForwardHalf weight', weight.length, OC * C);
  const bf16 = weight.format === 'bf16';
  if (N <= MATVEC_ROUTING.maxRows) {
    matvecForward(ctx, out, inp, { kind: 'half', tensor: weight.words, bf16 }, bias, N, C, OC);
    return;
  }
  ctx.dispatch(
    FORWARD_HALF,
    [inp, weight.words, bias ?? weight.words, out],
    [['u32', N], ['u32', C], ['u32', OC], ['u32', bias ? 1 : 0]],
    tiles(N, OC),
    { ...TILE, BF16: bf16 ? 1 : 0 },
  );
}

/** dinp[N,C] += dout[N,OC] @ W[OC,C] with W in half precision (the frozen layer's whole backward). */
export function matmulBackwardInputHalf(
  ctx: GpuContext,
  dinp: GpuTensor,
  dout: GpuTensor,
  weight: HalfWeight,
  N: number,
  C: number,
  OC: number,
): void {
  check('matmulBackwardInputHalf dinp', dinp.length, N * C);
  check('matmulBackwardInputHalf dout', dout.length, N * OC);
  check('matmulBackwardInputHalf weight', weight.length, OC * C);
  ctx.dispatch(
    BACKWARD_INPUT_HALF,
    [dout, weight.words, dinp],
    [['u32', N], ['u32', C], ['u32', OC]],
    tiles(N, C),
    { ...TILE, BF16: weight.format === 'bf16' ? 1 : 0 },
  );
}
