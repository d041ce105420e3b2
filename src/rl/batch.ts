// Packing rollouts into one right-padded training batch: tokens[S,T], next-token targets[S,T] and the
// loss mask[S,T] (1 where the target is a completion token the policy produced). Pure and tested.

export interface SequenceSpec {
  prompt: Int32Array; // context tokens (never in the loss)
  completion: Int32Array; // sampled tokens (in the loss unless excluded)
  include: boolean; // false masks the whole completion (truncated or skipped group)
}

export interface PackedBatch {
  S: number;
  T: number;
  tokens: Int32Array; // [S*T] input tokens, pad after the sequence
  targets: Int32Array; // [S*T] tokens[t+1] (pad at the end)
  mask: Float32Array; // [S*T] 1 where targets[t] is a completion token being trained
  completionTokens: number; // sum of completion lengths (masked or not)
}

export function packBatch(seqs: SequenceSpec[], padId: number): PackedBatch {
  const S = seqs.length;
  // Inputs are every token but the last; the last token is only ever a target.
  const T = Math.max(1, ...seqs.map((s) => s.prompt.length + s.completion.length - 1));
  const tokens = new Int32Array(S * T).fill(padId);
  const targets = new Int32Array(S * T).fill(padId);
  const mask = new Float32Array(S * T);
  let completionTokens = 0;
  for (let s = 0; s < S; s++) {
    const { prompt, completion, include } = seqs[s];
    const full = new Int32Array(prompt.length + completion.length);
    full.set(prompt, 0);
    full.set(completion, prompt.length);
    completionTokens += completion.length;
    for (let t = 0; t < full.length - 1; t++) {
      tokens[s * T + t] = full[t];
      targets[s * T + t] = full[t + 1];
      // target t+1 is a completion token when t+1 >= prompt.length
      if (include && t + 1 >= prompt.length) mask[s * T + t] = 1;
    }
  }
  return { S, T, tokens, targets, mask, completionTokens };
}
