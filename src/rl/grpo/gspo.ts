// GSPO (Group Sequence Policy Optimization, Zheng et al., arXiv:2507.18071): the GRPO objective with ONE
// importance ratio per sequence instead of one per token. Same input and output as grpoLoss (loss.ts), so the
// trainer switches with `policyLoss(input, importanceSampling)`. Shapes: S sequences x T completion
// positions, flattened s*T+t; advantages [S]; n_s = masked tokens of sequence s.
//
//   s_s    = exp( (1/n_s) * sum_{t in mask} (logp[s,t] - oldLogp[s,t]) )   geometric mean of the token ratios
//   L_s    = -min(s_s * A_s, clamp(s_s, 1 - epsLow, 1 + epsHigh) * A_s)     one clipped term per sequence
//   loss   = sum_{s,t} w[s,t] * (L_s + beta * k3(logp[s,t], refLogp[s,t]))  w: the loss type's weights
//
// As in TRL (importance_sampling_level="sequence"), L_s is broadcast to the sequence's tokens and aggregated
// by the loss type. With lossType 'grpo' (w = 1/(n_s * S)) this is exactly the paper's (1/G) sum_i L_i;
// with 'bnpo'/'dapo'/'dr_grpo' longer sequences weigh more. TRL's GSPO recipe uses 'grpo' and beta = 0.
//
// Gradient. With W_s = sum_t w[s,t] (the weight of sequence s) and d s_s / d logp[s,t] = s_s / n_s:
//   d loss / d logp[s,t] = W_s * (-A_s * s_s / n_s)      where the sequence is not clipped, else 0
//                        + w[s,t] * beta * (1 - exp(refLogp[s,t] - logp[s,t]))
// Every loss type gives each masked token of a sequence the same weight, so W_s / n_s = w[s,t]: on the first
// iteration (s_s = 1) GSPO's loss and gradient equal GRPO's; the two differ only off-policy
// (numIterations > 1), where GSPO keeps or drops whole sequences instead of single tokens.
//
// Epsilons: a sequence ratio is an average of log-ratios, so it moves far less than single tokens; the paper
// clips it at 1 - 3e-4 and 1 + 4e-4 (sec. 5.1), not GRPO's 0.2. Reusing 0.2 would almost never clip.
//
// Clip metrics: clipLow/clipHigh/clipRegion are fractions of masked TOKENS in clipped sequences (TRL
// broadcasts the sequence flag to its tokens, so `clip_ratio/*` keeps its per-token meaning and is comparable
// between the two levels); sequenceClip* are the fractions of non-empty SEQUENCES clipped.

import { aggregationWeights } from './aggregate.ts';
import { grpoLoss, type GrpoLossInput, type GrpoLossOutput } from './loss.ts';
import { clippedSurrogate, k3KL } from './surrogate.ts';

/** Where the importance ratio lives: per token (GRPO/PPO) or per sequence (GSPO). TRL: importance_sampling_level. */
export const IMPORTANCE_SAMPLING_LEVELS = ['token', 'sequence'] as const;

export type ImportanceSampling = (typeof IMPORTANCE_SAMPLING_LEVELS)[number];

export type GspoLossInput = GrpoLossInput;

export interface GspoLossOutput extends GrpoLossOutput {
  /** s_s per sequence [S]; 1 for a sequence without masked tokens. */
  sequenceRatio: Float64Array;
  /** Fractions of non-empty sequences low-clipped, high-clipped, either. */
  sequenceClipLow: number;
  sequenceClipHigh: number;
  sequenceClipRegion: number;
}

export function gspoLoss(input: GspoLossInput): GspoLossOutput {
  const { logp, oldLogp, refLogp, advantages, mask, S, T, beta } = input;
  const N = S * T;
  for (const [name, arr] of [['logp', logp], ['oldLogp', oldLogp], ['mask', mask]] as const) {
    if (arr.length !== N) throw new RangeError(`${name} length ${arr.length} != S*T = ${S}*${T}`);
  }
  if (advantages.length !== S) throw new RangeError(`advantages length ${advantages.length} != S = ${S}`);
  if (beta !== 0 && refLogp === null) throw new Error('beta != 0 needs refLogp (the reference model log-probs)');
  if (refLogp !== null && refLogp.length !== N) throw new RangeError(`refLogp length ${refLogp.length} != S*T`);

  const w = aggregationWeights(mask, S, T, input.lossType, input.maxCompletionLength, input);
  const dlogp = new Float32Array(N);
  const sequenceRatio = new Float64Array(S).fill(1);
  let loss = 0;
  let tokens = 0;
  let klSum = 0;
  let lowTokens = 0;
  let highTokens = 0;
  let sequences = 0;
  let lowSeqs = 0;
  let highSeqs = 0;
  for (let s = 0; s < S; s++) {
    let n = 0;
    let logRatioSum = 0;
    let W = 0;
    for (let t = 0; t < T; t++) {
      const i = s * T + t;
      if (mask[i] === 0) continue;
      n++;
      logRatioSum += logp[i] - oldLogp[i];
      W += w[i];
    }
    if (n === 0) continue;
    sequences++;
    tokens += n;
    // The clipped surrogate of the mean log-ratio: its dlogp is d L_s / d (mean log-ratio) = -s_s*A_s or 0.
    const sur = clippedSurrogate(logRatioSum / n, 0, advantages[s], input.epsLow, input.epsHigh);
    sequenceRatio[s] = Math.exp(logRatioSum / n);
    if (sur.lowClipped) {
      lowSeqs++;
      lowTokens += n;
    }
    if (sur.highClipped) {
      highSeqs++;
      highTokens += n;
    }
    loss += W * sur.loss;
    const dShared = (W * sur.dlogp) / n;
    for (let t = 0; t < T; t++) {
      const i = s * T + t;
      if (mask[i] === 0) continue;
      let d = dShared;
      if (refLogp !== null) {
        const k = k3KL(logp[i], refLogp[i]);
        klSum += k.kl;
        if (beta !== 0) {
          loss += w[i] * beta * k.kl;
          d += w[i] * beta * k.dlogp;
        }
      }
      dlogp[i] = d;
    }
  }
  const perToken = Math.max(tokens, 1);
  const perSeq = Math.max(sequences, 1);
  return {
    loss,
    dlogp,
    kl: klSum / perToken,
    clipLow: lowTokens / perToken,
    clipHigh: highTokens / perToken,
    clipRegion: (lowTokens + highTokens) / perToken,
    sequenceRatio,
    sequenceClipLow: lowSeqs / perSeq,
    sequenceClipHigh: highSeqs / perSeq,
    sequenceClipRegion: (lowSeqs + highSeqs) / perSeq,
  };
}

/** The policy loss at the chosen importance-sampling level: grpoLoss ('token') or gspoLoss ('sequence'). */
export function policyLoss(input: GrpoLossInput, importanceSampling: ImportanceSampling): GrpoLossOutput {
  if (importanceSampling === 'token') return grpoLoss(input);
  if (importanceSampling === 'sequence') return gspoLoss(input);
  throw new RangeError(`unknown importance sampling level '${String(importanceSampling)}'`);
}
