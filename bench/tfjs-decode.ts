// Greedy batched decoding of TfModel with a KV cache, the same algorithm as src/engine/generate.ts: the P
// prompts are prefilled once (one causal forward), each prompt's cache is copied to its G sample rows, then
// all R = P*G rows decode one token per step against the cache, which grows by concatenation. Tokens come
// back to the host every step (as ours reads its sampled tokens back every step), asynchronously: the webgpu
// backend cannot read synchronously in Node. Prompts must have equal lengths.
import * as tf from '@tensorflow/tfjs-core';
import type { KV, TfModel } from './tfjs-model.ts';

/** One decode step's results: logits [R,V], greedy tokens [R] and the per-layer cache including this step. */
type Step = { logits: tf.Tensor2D; next: tf.Tensor1D; cache: KV[] };

export interface TfDecodeOptions {
  G: number;
  newTokens: number;
  /** Observe each step's logits [R, V] (for the equivalence check; costs a read-back per step). */
  onLogits?: (t: number, logits: Float32Array) => void;
}

/** Returns the R completions (row r continues prompt floor(r/G)), each newTokens long. */
export async function tfGenerateGreedy(m: TfModel, prompts: Int32Array[], o: TfDecodeOptions): Promise<Int32Array[]> {
  const P = prompts.length;
  const Tp = prompts[0].length;
  if (prompts.some((p) => p.length !== Tp)) throw new Error('tfGenerateGreedy: prompts must have equal lengths');
  const R = P * o.G;
  const flat = new Int32Array(P * Tp);
  prompts.forEach((p, i) => flat.set(p, i * Tp));
  const rowOf = Int32Array.from({ length: R }, (_, r) => Math.floor(r / o.G));

  // ---- prefill once per prompt, then share each prompt's cache with its G rows ----
  let step = tf.tidy((): Step => {
    const mask = m.causalMask(Tp);
    const { x, kv } = m.hidden(tf.tensor1d(flat, 'int32'), P, Tp, mask, null);
    const last = tf.reshape(tf.slice(tf.reshape(x, [P, Tp, -1]), [0, Tp - 1, 0], [P, 1, -1]), [P, -1]) as tf.Tensor2D;
    const rows = tf.tensor1d(rowOf, 'int32');
    const logits = tf.gather(m.logits(last), rows) as tf.Tensor2D;
    const cache = kv.map((c) => ({ k: tf.gather(c.k, rows), v: tf.gather(c.v, rows) }) as KV);
    return { logits, next: tf.argMax(logits, -1) as tf.Tensor1D, cache };
  });

  const out = Array.from({ length: R }, () => new Int32Array(o.newTokens));
  for (let t = 0; ; t++) {
    if (o.onLogits) o.onLogits(t, (await step.logits.data()) as Float32Array);
    const ids = await step.next.data();
    for (let r = 0; r < R; r++) out[r][t] = ids[r];
    if (t + 1 >= o.newTokens) break;
    const prev = step;
    step = tf.tidy((): Step => {
      const { x, kv } = m.hidden(prev.next, R, 1, null, prev.cache);
      const logits = m.logits(x);
      return { logits, next: tf.argMax(logits, -1) as tf.Tensor1D, cache: kv };
    });
    tf.dispose(prev);
  }
  tf.dispose(step);
  return out;
}
