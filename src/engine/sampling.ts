// Token sampling from one row of logits: temperature, top-k, top-p (nucleus), or greedy when temperature
// is 0. The random number comes from the caller (the seeded counter-based RNG), so sampling is a pure
// function of (logits, options, u) and reproducible.

export interface SamplerOptions {
  temperature: number; // 0 = greedy
  topK: number; // 0 = off
  topP: number; // 1 = off
}

/** Index of the largest logit (lowest index on ties). */
export function argmax(logits: ArrayLike<number>, offset = 0, V = logits.length - offset): number {
  let best = 0;
  let bestVal = -Infinity;
  for (let v = 0; v < V; v++) {
    const z = logits[offset + v];
    if (z > bestVal) {
      bestVal = z;
      best = v;
    }
  }
  return best;
}

/** Sample a token from logits[offset .. offset+V) with uniform u in [0, 1). */
export function sampleToken(logits: ArrayLike<number>, opts: SamplerOptions, u: number, offset = 0, V = logits.length - offset): number {
  if (opts.temperature <= 0) return argmax(logits, offset, V);
  const invT = 1 / opts.temperature;
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, logits[offset + v] * invT);
  const probs = new Float64Array(V);
  for (let v = 0; v < V; v++) probs[v] = Math.exp(logits[offset + v] * invT - max);
  const filtering = (opts.topK > 0 && opts.topK < V) || opts.topP < 1;
  if (!filtering) return inverseCdf(probs, null, u);
  // Order candidates by probability (index breaks ties) so the kept set is deterministic.
  const order = Array.from({ length: V }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  let keep = opts.topK > 0 ? Math.min(opts.topK, V) : V;
  if (opts.topP < 1) {
    let total = 0;
    for (let i = 0; i < keep; i++) total += probs[order[i]];
    let cum = 0;
    for (let i = 0; i < keep; i++) {
      cum += probs[order[i]];
      if (cum >= opts.topP * total) {
        keep = i + 1;
        break;
      }
    }
  }
  return inverseCdf(probs, order.slice(0, keep), u);
}

function inverseCdf(probs: Float64Array, candidates: number[] | null, u: number): number {
  const ids = candidates ?? null;
  const n = ids ? ids.length : probs.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += probs[ids ? ids[i] : i];
  const target = u * total;
  let cum = 0;
  let lastPositive = ids ? ids[0] : 0;
  for (let i = 0; i < n; i++) {
    const id = ids ? ids[i] : i;
    if (probs[id] > 0) lastPositive = id;
    cum += probs[id];
    if (target < cum) return id;
  }
  return lastPositive; // rounding left target at the very top: take the last token that had mass

}
