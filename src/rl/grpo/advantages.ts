// Group-relative advantages (GRPO, DeepSeekMath arXiv:2402.03300 sec. 4.1.2), with TRL's three scalings.
// Rewards are laid out [P prompts x G completions], contiguous per prompt. Dimension letters: P prompts,
// G group size, N = P*G completions.

/**
 * How advantages are scaled after subtracting the group mean.
 * - 'group': divide by the group's std (the GRPO paper).
 * - 'batch': divide by the std of all N rewards (less noisy than a small group's std).
 * - 'none': no scaling (Dr. GRPO arXiv:2503.20783: the std term biases updates toward easy/hard prompts).
 */
export type AdvantageScale = 'group' | 'batch' | 'none';

/** Sample standard deviation with Bessel's correction (n - 1), like torch.std; NaN for fewer than 2 values. */
export function besselStd(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = start; i < end; i++) mean += values[i];
  mean /= n;
  let ss = 0;
  for (let i = start; i < end; i++) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

function checkLayout(rewards: ArrayLike<number>, G: number): void {
  if (!Number.isInteger(G) || G < 2) throw new RangeError(`group size G must be an integer >= 2, got ${G}`);
  if (rewards.length % G !== 0) {
    throw new RangeError(`rewards length ${rewards.length} is not a multiple of the group size ${G}`);
  }
}

/**
 * A[p*G+g] = r[p*G+g] - mean(r[p*G .. p*G+G)), then divided by (std + eps) where std is the group's
 * ('group') or the whole batch's ('batch') Bessel-corrected std, or left as is ('none').
 * Matches TRL GRPOTrainer (eps = 1e-4 there too). Shapes: rewards [P*G] -> advantages [P*G].
 */
export function groupAdvantages(
  rewards: ArrayLike<number>,
  G: number,
  scale: AdvantageScale,
  eps = 1e-4,
): Float64Array {
  checkLayout(rewards, G);
  const N = rewards.length;
  const P = N / G;
  const out = new Float64Array(N);
  const batchStd = scale === 'batch' && N > 0 ? besselStd(rewards) : 0;
  for (let p = 0; p < P; p++) {
    const start = p * G;
    let mean = 0;
    for (let g = 0; g < G; g++) mean += rewards[start + g];
    mean /= G;
    let denom = 1;
    if (scale === 'group') denom = besselStd(rewards, start, start + G) + eps;
    else if (scale === 'batch') denom = batchStd + eps;
    for (let g = 0; g < G; g++) out[start + g] = (rewards[start + g] - mean) / denom;
  }
  return out;
}

/** Per group: true when all G rewards are equal (within 1e-8), so every advantage is 0 (no learning signal). */
export function zeroStdGroups(rewards: ArrayLike<number>, G: number): boolean[] {
  checkLayout(rewards, G);
  const P = rewards.length / G;
  const out: boolean[] = [];
  for (let p = 0; p < P; p++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let g = 0; g < G; g++) {
      const r = rewards[p * G + g];
      if (r < lo) lo = r;
      if (r > hi) hi = r;
    }
    out.push(hi - lo <= 1e-8);
  }
  return out;
}
