// A frozen base in half precision on the GPU for LoRA runs: every block projection uploaded as bf16/f16 (two per
// u32, matmul_half.ts) and the rest (embedding, norms, biases, LM head) in a compact f32 flat buffer
// (lora.ts frozenRestLayout). Uploads are flushed one tensor at a time so the staging copy never holds more than
// the largest tensor. The returned FrozenProjections plug into Model's LoRA mode.
import type { HalfFormat } from '../half.ts';
import { frozenRestLayout, projectionWeightNames, restParams, type FrozenProjections } from '../lora.ts';
import type { ParamLayout } from '../params.ts';
import type { WebGpuBackend } from './backend.ts';
import { matmulBackwardInputHalf, matmulForwardHalf, uploadHalfWeight, type HalfWeight } from './kernels/matmul_half.ts';
import type { GpuTensor } from './tensor.ts';

export interface HalfFrozenBase {
  layout: ParamLayout; // the rest layout (no projections)
  params: GpuTensor; // its flat f32 buffer
  frozen: FrozenProjections<GpuTensor>;
  /** Device bytes of the half-precision projections (2 per weight, rounded up to whole u32 words). */
  halfBytes: number;
  dispose(): void;
}

export async function uploadHalfFrozenBase(be: WebGpuBackend, layout: ParamLayout, host: Float32Array, format: HalfFormat): Promise<HalfFrozenBase> {
  const ctx = be.ctx;
  const rest = frozenRestLayout(layout);
  const params = be.allocFloat(rest.total);
  be.uploadFloat(params, restParams(layout, rest, host));
  ctx.flush(); // release the staging copy before the next upload
  const halves = new Map<string, HalfWeight>();
  let halfBytes = 0;
  for (const name of projectionWeightNames(layout)) {
    const e = layout.byName.get(name)!;
    const w = uploadHalfWeight(ctx, host.subarray(e.offset, e.offset + e.size), format, name);
    halves.set(name, w);
    halfBytes += w.words.byteLength;
    ctx.flush();
  }
  await be.sync();
  const half = (name: string) => {
    const w = halves.get(name);
    if (!w) throw new Error(`no half-precision weight named ${name}`);
    return w;
  };
  return {
    layout: rest,
    params,
    halfBytes,
    frozen: {
      forward: (name, out, inp, bias, N, C, OC) => matmulForwardHalf(ctx, out, inp, half(name), bias, N, C, OC),
      backwardInput: (name, dinp, dout, _inp, N, C, OC) => matmulBackwardInputHalf(ctx, dinp, dout, half(name), N, C, OC),
    },
    dispose: () => {
      be.free(params);
      for (const w of halves.values()) be.free(w.words);
    },
  };
}
