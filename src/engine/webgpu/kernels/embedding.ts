// Token embedding kernels on WebGPU, the twins of cpu/embedding.ts: a gather forward (overwrites out) and a
// scatter-add backward into dwte without float atomics (WGSL has none for f32). The backward links the rows
// that share a token (O(N^2) integer compares over the token list, independent of V), then one thread per
// (first row of a token, channel) sums that token's rows in row order: O(N*C) float adds, each dwte element
// written once, deterministic and equal to the CPU result bit for bit. Tokens outside [0, V) give zero rows
// forward and are ignored backward (the CPU twin throws; validate tokens on the host).
import type { GpuContext, KernelSpec } from '../context.ts';
import type { GpuTensor } from '../tensor.ts';
import { grid1d, scratch } from './dispatch-util.ts';
import forwardCode from './embedding_forward.wgsl?raw';
import linksCode from './embedding_backward_links.wgsl?raw';
import backwardCode from './embedding_backward.wgsl?raw';

const FORWARD: KernelSpec = { name: 'embedding_forward', code: forwardCode, bindings: ['read', 'read', 'rw'] };
const LINKS: KernelSpec = { name: 'embedding_backward_links', code: linksCode, bindings: ['read', 'rw'] };
const BACKWARD: KernelSpec = { name: 'embedding_backward', code: backwardCode, bindings: ['read', 'read', 'read', 'rw'] };
const WG = 256;
const LINKS_WG = 64;

/** out[N,C] = wte[tokens[n], :], wte[V,C] with V = wte.length / C. */
export function embeddingForward(ctx: GpuContext, out: GpuTensor, tokens: GpuTensor, wte: GpuTensor, N: number, C: number): void {
  if (out.length < N * C || tokens.length < N) throw new RangeError(`embeddingForward: tensors too short for N=${N}, C=${C}`);
  const V = Math.floor(wte.length / C);
  ctx.dispatch(FORWARD, [tokens, wte, out], [['u32', N], ['u32', C], ['u32', V]], grid1d(N * C, WG), { WG });
}

/** dwte[tokens[n], :] += dout[n, :]; dout[N,C], dwte[V,C]. */
export function embeddingBackward(ctx: GpuContext, dwte: GpuTensor, dout: GpuTensor, tokens: GpuTensor, N: number, C: number): void {
  if (dout.length < N * C || tokens.length < N) throw new RangeError(`embeddingBackward: tensors too short for N=${N}, C=${C}`);
  if (N === 0) return;
  const V = Math.floor(dwte.length / C);
  const link = scratch(ctx, 'embedding_links', 2 * N, 'i32');
  ctx.dispatch(LINKS, [tokens, link], [['u32', N], ['u32', V]], grid1d(N, LINKS_WG), { WG: LINKS_WG });
  ctx.dispatch(BACKWARD, [tokens, link, dout, dwte], [['u32', N], ['u32', C]], grid1d(N * C, WG), { WG });
}
