// Packing rollouts into one right-padded training batch: tokens[S,T], next-token targets[S,T] and the loss
// mask[S,T]. A sequence is a list of segments in order: context (the prompt, environment replies, template
// markup the policy did not write) and generated (tokens the policy sampled). mask[t] is 1 exactly where
// targets[t] is a generated token of an included sequence. Pure and tested.

export interface Segment {
  ids: Int32Array;
  /** True for tokens the policy sampled (trained on); false for context (never in the loss). */
  generated: boolean;
}

export interface SequenceSpec {
  segments: readonly Segment[];
  include: boolean; // false masks the whole sequence (truncated or skipped group)
}

export interface PackedBatch {
  S: number;
  T: number;
  tokens: Int32Array; // [S*T] input tokens, pad after the sequence
  targets: Int32Array; // [S*T] tokens[t+1] (pad at the end)
  mask: Float32Array; // [S*T] 1 where targets[t] is a generated token being trained
  generatedTokens: number; // generated tokens over all sequences (masked or not)
}

/** The single-turn sequence: a prompt (context) then a completion (generated). */
export function promptCompletion(prompt: Int32Array, completion: Int32Array, include: boolean): SequenceSpec {
  return { segments: [{ ids: prompt, generated: false }, { ids: completion, generated: true }], include };
}

function sequenceLength(seq: SequenceSpec): number {
  return seq.segments.reduce((n, s) => n + s.ids.length, 0);
}

export function packBatch(seqs: SequenceSpec[], padId: number): PackedBatch {
  const S = seqs.length;
  // Inputs are every token but the last; the last token is only ever a target.
  const T = Math.max(1, ...seqs.map((s) => sequenceLength(s) - 1));
  const tokens = new Int32Array(S * T).fill(padId);
  const targets = new Int32Array(S * T).fill(padId);
  const mask = new Float32Array(S * T);
  let generatedTokens = 0;
  for (let s = 0; s < S; s++) {
    const row = s * T;
    const last = sequenceLength(seqs[s]) - 1;
    // Position p of the sequence is the input at t = p (all but the last) and the target at t = p - 1.
    let p = 0;
    for (const seg of seqs[s].segments) {
      if (seg.generated) generatedTokens += seg.ids.length;
      for (const id of seg.ids) {
        if (p < last) tokens[row + p] = id;
        if (p > 0) {
          targets[row + p - 1] = id;
          if (seg.generated && seqs[s].include) mask[row + p - 1] = 1;
        }
        p++;
      }
    }
  }
  return { S, T, tokens, targets, mask, generatedTokens };
}
