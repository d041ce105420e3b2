// The GRPO objective for one optimisation iteration: per-token clipped surrogate (+ beta * k3 KL to the
// reference), aggregated by the loss type. Returns the loss, its gradient w.r.t. every token log-prob (what
// the trainer back-propagates through the model) and the TRL metrics kl / clip_ratio/*.
// Shapes: S sequences x T completion positions, flattened s*T+t; advantages [S] (one per sequence).

import { aggregationWeights, type AggregationTotals, type LossType } from './aggregate.ts';
import { clippedSurrogate, k3KL } from './surrogate.ts';

export interface GrpoLossInput extends AggregationTotals {
  /** log pi_theta(token) under the current parameters [S*T]. */
  logp: Float32Array;
  /** log pi_old(token), stored when the batch was sampled [S*T]; equal to logp on the first iteration. */
  oldLogp: Float32Array;
  /** log pi_ref(token) of the frozen reference [S*T]; may be null when beta = 0. */
  refLogp: Float32Array | null;
  /** One advantage per sequence [S]. */
  advantages: Float64Array;
  /** 1 where the token is trained on, 0 for padding, environment tokens and masked truncations [S*T]. */
  mask: Float32Array;
  S: number;
  T: number;
  lossType: LossType;
  epsLow: number;
  epsHigh: number;
  /** KL coefficient; 0 leaves refLogp out of the loss. */
  beta: number;
  /** Used by 'dr_grpo' (normaliser S * maxCompletionLength). */
  maxCompletionLength: number;
}

export interface GrpoLossOutput {
  loss: number;
  /** d loss / d logp [S*T]; 0 where mask is 0. */
  dlogp: Float32Array;
  /** Masked mean of the k3 KL to the reference (0 without refLogp; logged even when beta = 0). */
  kl: number;
  /** Masked-mean fractions of low-clipped, high-clipped and either-clipped tokens. */
  clipLow: number;
  clipHigh: number;
  clipRegion: number;
}

export function grpoLoss(input: GrpoLossInput): GrpoLossOutput {
  const { logp, oldLogp, refLogp, advantages, mask, S, T, beta } = input;
  const N = S * T;
  for (const [name, arr] of [['logp', logp], ['oldLogp', oldLogp], ['mask', mask]] as const) {
    if (arr.length !== N) throw new RangeError(`${name} length ${arr.length} != S*T = ${S}*${T}`);
  }
  if (advantages.length !== S) throw new RangeError(`advantages length ${advantages.length} != S = ${S}`);
  if (beta !== 0) {
    if (refLogp === null) throw new Error('beta != 0 needs refLogp (the reference model log-probs)');
  }
  if (refLogp !== null && refLogp.length !== N) throw new RangeError(`refLogp length ${refLogp.length} != S*T`);

  const w = aggregationWeights(mask, S, T, input.lossType, input.maxCompletionLength, input);
  const dlogp = new Float32Array(N);
  let loss = 0;
  let count = 0;
  let klSum = 0;
  let low = 0;
  let high = 0;
  for (let s = 0; s < S; s++) {
    const A = advantages[s];
    for (let t = 0; t < T; t++) {
      const i = s * T + t;
      if (mask[i] === 0) continue;
      count++;
      const sur = clippedSurrogate(logp[i], oldLogp[i], A, input.epsLow, input.epsHigh);
      let l = sur.loss;
      let d = sur.dlogp;
      if (refLogp !== null) {
        const k = k3KL(logp[i], refLogp[i]);
        klSum += k.kl;
        if (beta !== 0) {
          l += beta * k.kl;
          d += beta * k.dlogp;
        }
      }
      if (sur.lowClipped) low++;
      if (sur.highClipped) high++;
      loss += w[i] * l;
      dlogp[i] = w[i] * d;
    }
  }
  const denom = Math.max(count, 1);
  return {
    loss,
    dlogp,
    kl: klSum / denom,
    clipLow: low / denom,
    clipHigh: high / denom,
    clipRegion: (low + high) / denom,
  };
}
