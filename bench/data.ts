// Deterministic inputs for the bench: weights with a larger spread than init (so the equivalence checks see
// peaked, non-uniform distributions), a training batch and decode prompts, all from the engine's seeded RNG.
import type { ParamLayout } from '../src/engine/params.ts';
import { Rng } from '../src/engine/rng.ts';

/** Every matrix ~ N(0, std), norm weights 1 + N(0, std/2); padding stays 0. */
export function benchWeights(layout: ParamLayout, seed: number, std: number): Float32Array {
  const rng = new Rng(seed, 101);
  const p = new Float32Array(layout.total);
  for (const e of layout.entries) {
    const isNorm = e.shape.length === 1;
    for (let i = 0; i < e.size; i++) p[e.offset + i] = (isNorm ? 1 : 0) + (isNorm ? std / 2 : std) * rng.normal();
  }
  return p;
}

export interface TrainBatch {
  tokens: Int32Array; // [B*T]
  targets: Int32Array; // [B*T] next tokens (the last one random)
  weights: Float32Array; // [B*T] advantage-like per-token weights, scaled by 1/N
}

export function trainBatch(V: number, B: number, T: number, seed: number): TrainBatch {
  const rng = new Rng(seed, 102);
  const N = B * T;
  const tokens = Int32Array.from({ length: N }, () => rng.int(V));
  const targets = new Int32Array(N);
  for (let n = 0; n < N; n++) targets[n] = n % T === T - 1 ? rng.int(V) : tokens[n + 1];
  const weights = Float32Array.from({ length: N }, () => rng.normal() / N);
  return { tokens, targets, weights };
}

/** P prompts of Tp random tokens each. */
export function prompts(V: number, P: number, Tp: number, seed: number): Int32Array[] {
  const rng = new Rng(seed, 103);
  return Array.from({ length: P }, () => Int32Array.from({ length: Tp }, () => rng.int(V)));
}
