// Token sampling on the GPU (twin of sampleToken in ../../sampling.ts): one workgroup per row picks a token from
// logits [R, V] with temperature, top-k and top-p, drawing u = randomUniform(seed[r], Stream.sample, step) from
// the same counter-based RNG as the CPU, so only the R tokens come back to the host. See sample.wgsl.
// Limits: V < 2^31; filtered sampling (top-k/top-p) costs ~35 passes over the row per cut (k, p, the draw).
import { Stream } from '../../rng.ts';
import type { SamplerOptions } from '../../sampling.ts';
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, u32 } from './dispatch-util.ts';
import code from './sample.wgsl?raw';

const SAMPLE: KernelSpec = { name: 'sample', code, bindings: ['rw', 'read', 'read'] };
const WG = 256;

/**
 * outTokens[R] (i32) <- a token per row of logits[R, V] (R = outTokens.length, V = logits.length / R), with
 * u = randomUniform(seeds[r], Stream.sample, step). seeds[R]: one u32 per row (upload them as an Int32Array; the
 * bits are what counts). Greedy (argmax, lowest index on ties) when temperature <= 0.
 */
export function sampleTokens(
  ctx: GpuContext,
  outTokens: GpuTensor,
  logits: GpuTensor,
  opts: SamplerOptions,
  seeds: GpuTensor,
  step: number,
): void {
  const R = outTokens.length;
  if (R === 0) return;
  const V = logits.length / R;
  if (!Number.isInteger(V) || V < 1 || V >= 2 ** 31) {
    throw new RangeError(`sampleTokens: logits of length ${logits.length} are not [R=${R}, V] with 1 <= V < 2^31`);
  }
  if (seeds.length < R) throw new RangeError(`sampleTokens: ${seeds.length} seeds for ${R} rows`);
  const greedy = opts.temperature <= 0;
  const filtering = (opts.topK > 0 && opts.topK < V) || opts.topP < 1;
  const mode = greedy ? 0 : filtering ? 2 : 1;
  ctx.dispatch(
    SAMPLE,
    [outTokens, logits, seeds],
    [
      u32(R),
      u32(V),
      u32(step >>> 0),
      u32(Stream.sample),
      u32(mode),
      ['f32', greedy ? 0 : 1 / opts.temperature],
      u32(Math.max(0, Math.min(opts.topK, V))),
      ['f32', opts.topP],
    ],
    grid1d(R, 1),
    { WG },
  );
}
