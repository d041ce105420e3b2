// Token embedding: the model's first layer, a row lookup in wte[V,C] (also the LM head when weights are tied).
// Forward overwrites out; backward adds into dwte.
import type { FloatArray, IntArray } from '../floats.ts';

/** out[N,C] = wte[tokens[n], :], wte[V,C]. Throws on a token outside [0, V). */
export function embeddingForward(out: FloatArray, tokens: IntArray, wte: FloatArray, N: number, C: number): void {
  const V = Math.floor(wte.length / C);
  for (let n = 0; n < N; n++) {
    const tok = tokens[n];
    if (!(tok >= 0 && tok < V)) throw new RangeError(`embeddingForward: token ${tok} at row ${n} is outside [0, ${V})`);
    const src = tok * C;
    const dst = n * C;
    for (let c = 0; c < C; c++) out[dst + c] = wte[src + c];
  }
}

/** dwte[tokens[n], :] += dout[n, :]; dout[N,C], dwte[V,C]. */
export function embeddingBackward(dwte: FloatArray, dout: FloatArray, tokens: IntArray, N: number, C: number): void {
  const V = Math.floor(dwte.length / C);
  for (let n = 0; n < N; n++) {
    const tok = tokens[n];
    if (!(tok >= 0 && tok < V)) throw new RangeError(`embeddingBackward: token ${tok} at row ${n} is outside [0, ${V})`);
    const dst = tok * C;
    const src = n * C;
    for (let c = 0; c < C; c++) dwte[dst + c] += dout[src + c];
  }
}
