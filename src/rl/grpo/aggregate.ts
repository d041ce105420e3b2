// Loss aggregation: how per-token losses l[s,t] of S sequences x T completion positions become one scalar.
// Every loss type is linear, so it is expressed as weights w with loss = sum_i w_i * l_i (w is 0 where the
// mask is 0); the same weights scale the per-token gradients. Mask is [S*T] of 0/1 (1 = a completion token
// that is trained on). Semantics follow TRL's GRPOTrainer.

/**
 * - 'grpo': mean over each sequence's tokens, then mean over sequences (DeepSeekMath arXiv:2402.03300);
 *   long completions' tokens count less.
 * - 'bnpo': mean over all tokens in the batch.
 * - 'dapo': mean over all tokens of the whole step's batch (DAPO arXiv:2503.14476 token-level loss); equals
 *   'bnpo' unless the step is split into micro-batches (see `AggregationTotals.totalTokens`).
 * - 'dr_grpo': sum over tokens / (S * maxCompletionLength), a constant normaliser (Dr. GRPO arXiv:2503.20783).
 */
export type LossType = 'grpo' | 'bnpo' | 'dr_grpo' | 'dapo';

/** Optional totals over a whole step, for when one step's batch is processed in several micro-batches. */
export interface AggregationTotals {
  /** Masked tokens in the whole step (used by 'dapo'); default: those in this mask. */
  totalTokens?: number;
  /** Sequences in the whole step (used by 'grpo' and 'dr_grpo'); default: S. */
  totalSequences?: number;
}

/** Weights w [S*T] such that loss = sum_i w_i * l_i. Sequences with no masked tokens contribute 0. */
export function aggregationWeights(
  mask: ArrayLike<number>,
  S: number,
  T: number,
  lossType: LossType,
  maxCompletionLength: number,
  totals: AggregationTotals = {},
): Float64Array {
  if (mask.length !== S * T) throw new RangeError(`mask length ${mask.length} != S*T = ${S}*${T}`);
  const w = new Float64Array(S * T);
  const seqs = totals.totalSequences ?? S;
  if (lossType === 'grpo') {
    for (let s = 0; s < S; s++) {
      let count = 0;
      for (let t = 0; t < T; t++) if (mask[s * T + t] !== 0) count++;
      const ws = 1 / (Math.max(count, 1) * Math.max(seqs, 1));
      for (let t = 0; t < T; t++) if (mask[s * T + t] !== 0) w[s * T + t] = ws;
    }
    return w;
  }
  let denom: number;
  if (lossType === 'dr_grpo') {
    if (!(maxCompletionLength > 0)) throw new RangeError(`maxCompletionLength must be > 0, got ${maxCompletionLength}`);
    denom = Math.max(seqs, 1) * maxCompletionLength;
  } else if (lossType === 'bnpo' || lossType === 'dapo') {
    let count = 0;
    for (let i = 0; i < S * T; i++) if (mask[i] !== 0) count++;
    const total = lossType === 'dapo' ? (totals.totalTokens ?? count) : count;
    denom = Math.max(total, 1);
  } else {
    throw new RangeError(`unknown loss type '${String(lossType)}'`);
  }
  for (let i = 0; i < S * T; i++) if (mask[i] !== 0) w[i] = 1 / denom;
  return w;
}
