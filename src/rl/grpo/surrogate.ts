// Per-token GRPO maths with analytic derivatives w.r.t. the policy log-probability `logp`:
// the PPO-style clipped surrogate with separate low/high epsilons (DAPO "clip-higher", arXiv:2503.14476)
// and Schulman's k3 KL estimator (http://joschu.net/blog/kl-approx.html) used by GRPO (arXiv:2402.03300).

export interface SurrogateTerm {
  /** -min(ratio*A, clamp(ratio, 1-epsLow, 1+epsHigh)*A) */
  loss: number;
  /** d loss / d logp: -ratio*A where the unclipped branch is active, 0 where the clamp is. */
  dlogp: number;
  /** ratio < 1-epsLow and A < 0: the clamp holds the update (TRL's clip_ratio/low). */
  lowClipped: boolean;
  /** ratio > 1+epsHigh and A > 0: the clamp holds the update (TRL's clip_ratio/high). */
  highClipped: boolean;
}

/**
 * ratio = exp(logp - oldLogp); loss = -min(ratio*A, clamp(ratio, 1-epsLow, 1+epsHigh)*A).
 * The min picks the clamped branch strictly only when the token is low- or high-clipped (as defined above);
 * there the loss is constant in logp and the gradient is 0. Elsewhere the two branches agree in value and
 * slope, so d loss / d logp = -ratio*A (the derivative of exp is itself).
 */
export function clippedSurrogate(
  logp: number,
  oldLogp: number,
  advantage: number,
  epsLow: number,
  epsHigh: number,
): SurrogateTerm {
  const ratio = Math.exp(logp - oldLogp);
  const lo = 1 - epsLow;
  const hi = 1 + epsHigh;
  const clamped = ratio < lo ? lo : ratio > hi ? hi : ratio;
  const lowClipped = ratio < lo && advantage < 0;
  const highClipped = ratio > hi && advantage > 0;
  const loss = -Math.min(ratio * advantage, clamped * advantage);
  const dlogp = lowClipped || highClipped ? 0 : -ratio * advantage;
  return { loss, dlogp, lowClipped, highClipped };
}

/**
 * k3 estimator of KL(policy || ref) from one sample of the policy: with d = refLogp - logp,
 * kl = exp(d) - d - 1 (always >= 0, 0 when the two agree); d kl / d logp = 1 - exp(d).
 */
export function k3KL(logp: number, refLogp: number): { kl: number; dlogp: number } {
  const d = refLogp - logp;
  const e = Math.exp(d);
  return { kl: e - d - 1, dlogp: 1 - e };
}
