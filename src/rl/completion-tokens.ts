// Per-token training data of one rollout, for inspection (the rollout viewer): every token after the prompt
// with whether the policy sampled it, whether it was in this step's loss, and its log-probability under the
// sampling policy. The log-probs are the first optimisation pass's (the trainer's oldLogp), read back from the
// packed batch layout (src/rl/batch.ts): the token at sequence position p is the target at t = p - 1. Pure.
import type { PackedBatch } from './batch.ts';
import type { Rollout } from './rollout.ts';

/** Parallel arrays over the completion's tokens (every token after the prompt, environment replies included). */
export interface CompletionTokens {
  ids: Int32Array;
  /** 1 where the policy sampled the token; 0 for environment replies and chat-template markup. */
  generated: Uint8Array;
  /** 1 where the token was in this step's loss (generated, and not masked by truncation or flat-group rules). */
  trained: Uint8Array;
  /** log p(token) under the sampling policy; NaN for context tokens and for rollouts not in the trained batch. */
  logprob: Float32Array;
}

/** Where a rollout sits in the step's trained batch, with the first pass's log-probs [S*T] (null if none ran). */
export interface TrainedRow {
  batch: PackedBatch;
  row: number;
  logp: Float32Array | null;
}

/** The completion tokens of `rollout`; `trained` is null when the rollout was not in the trained batch. */
export function completionTokens(rollout: Pick<Rollout, 'segments' | 'prompt'>, trained: TrainedRow | null): CompletionTokens {
  const total = rollout.segments.reduce((n, s) => n + s.ids.length, 0);
  const start = rollout.prompt.length;
  const n = Math.max(0, total - start);
  const out: CompletionTokens = {
    ids: new Int32Array(n),
    generated: new Uint8Array(n),
    trained: new Uint8Array(n),
    logprob: new Float32Array(n).fill(NaN),
  };
  let p = 0; // position in the whole sequence
  for (const seg of rollout.segments) {
    for (const id of seg.ids) {
      const k = p - start;
      if (k >= 0) {
        out.ids[k] = id;
        out.generated[k] = seg.generated ? 1 : 0;
        if (trained && p > 0) {
          const t = trained.row * trained.batch.T + p - 1;
          out.trained[k] = trained.batch.mask[t] ? 1 : 0;
          if (seg.generated && trained.logp) out.logprob[k] = trained.logp[t];
        }
      }
      p++;
    }
  }
  return out;
}
