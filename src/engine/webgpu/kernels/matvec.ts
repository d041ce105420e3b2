// The decode-shaped linear layer: out[N,OC] = inp[N,C] @ weight[OC,C]^T (+ bias) for N = 1..8 rows per workgroup
// (matvec_forward.wgsl), with f32 weights (vec4 or scalar loads) or half-precision packed weights (matmul_half.ts).
// matmul.ts's matmulForward routes calls with N <= MATVEC_ROUTING.maxRows here.
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import loadVec4 from './matmul_load_vec4.wgsl?raw';
import loadScalar from './matmul_load_scalar.wgsl?raw';
import loadHalf from './matmul_load_half.wgsl?raw';
import matvecCode from './matvec_forward.wgsl?raw';

const BINDINGS: KernelSpec['bindings'] = ['read', 'read', 'read', 'rw'];
const MATVEC = {
  vec4: { name: 'matvec_forward_vec4', code: `${loadVec4}\n${matvecCode}`, bindings: BINDINGS } satisfies KernelSpec,
  scalar: { name: 'matvec_forward', code: `${loadScalar}\n${matvecCode}`, bindings: BINDINGS } satisfies KernelSpec,
  half: { name: 'matvec_forward_half', code: `${loadHalf}\n${matvecCode}`, bindings: BINDINGS } satisfies KernelSpec,
};

/** 16 lanes x 4 channels = 64 threads (SwiftShader's sweet spot; on GPUs two wavefronts-worth of loads in flight). */
const SHAPE = { LANES: 16, CH: 4 };

/**
 * Which matmulForward calls take the matvec kernel: N <= maxRows (0 = never, the tiled path always). A knob for
 * the bench, which measures both paths; the default came from that bench (see README "LoRA and memory").
 */
export const MATVEC_ROUTING = { maxRows: 8 };

/** Rows per workgroup: the next power of two >= N, capped at 8 (no multiply-adds on rows that do not exist). */
function rowsPerGroup(N: number): number {
  return N <= 1 ? 1 : N <= 2 ? 2 : N <= 4 ? 4 : 8;
}

export type MatvecWeight = { kind: 'f32'; tensor: GpuTensor } | { kind: 'half'; tensor: GpuTensor; bf16: boolean };

/** out[N,OC] = inp[N,C] @ weight^T (+ bias); overwrites out. Any N (row blocks of up to 8). */
export function matvecForward(
  ctx: GpuContext,
  out: GpuTensor,
  inp: GpuTensor,
  weight: MatvecWeight,
  bias: GpuTensor | null,
  N: number,
  C: number,
  OC: number,
): void {
  const MR = rowsPerGroup(N);
  const spec = weight.kind === 'half' ? MATVEC.half : C % 4 === 0 ? MATVEC.vec4 : MATVEC.scalar;
  const constants: Record<string, number> = { ...SHAPE, MR };
  if (weight.kind === 'half') constants.BF16 = weight.bf16 ? 1 : 0;
  ctx.dispatch(
    spec,
    [inp, weight.tensor, bias ?? weight.tensor, out], // without a bias, bind any tensor in its place (never read)
    [['u32', N], ['u32', C], ['u32', OC], ['u32', bias ? 1 : 0]],
    [Math.ceil(OC / SHAPE.CH), Math.ceil(N / MR)],
    constants,
  );
}
