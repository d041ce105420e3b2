// pass@k, the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on Code",
// eq. 1): with n samples of a problem of which c pass, pass@k = 1 - C(n-c, k) / C(n, k), the chance that k
// samples drawn without replacement from the n include a passing one. Computed as a product, never with
// factorials (they overflow past n = 170).

/** pass@k for one problem: n samples, c of them passing, 1 <= k <= n. */
export function passAtK(n: number, c: number, k: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k)) || n < 1 || c < 0 || c > n || k < 1 || k > n) {
    throw new RangeError(`passAtK needs integers 1 <= k <= n and 0 <= c <= n (got n=${n}, c=${c}, k=${k})`);
  }
  if (n - c < k) return 1; // every draw of k includes a passing sample
  // C(n-c, k) / C(n, k) = prod_{i = n-c+1}^{n} (1 - k / i)
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

/** The mean pass@k over problems, each given as (n, c); problems with fewer than k samples are left out (NaN when none is left). */
export function meanPassAtK(problems: readonly { n: number; c: number }[], k: number): number {
  const usable = problems.filter((p) => p.n >= k);
  if (usable.length === 0) return NaN;
  return usable.reduce((a, p) => a + passAtK(p.n, p.c, k), 0) / usable.length;
}

/** The k reported for n samples per problem: 1, the powers of two below n, and n. */
export function reportedKs(n: number): number[] {
  const ks = new Set<number>([1]);
  for (let k = 2; k < n; k *= 2) ks.add(k);
  ks.add(n);
  return [...ks].sort((a, b) => a - b);
}

/** A correctness score at least this counts as a pass (criteria may give partial credit). */
export const PASS_THRESHOLD = 1 - 1e-9;

/** eval/pass@k: the sampled estimate (k of the n completions per row); eval/pass@1_greedy: the greedy answer passes. */
export const passAtKMetric = (k: number): string => `eval/pass@${k}`;
export const GREEDY_PASS_AT_1 = 'eval/pass@1_greedy';

/** The metrics for per-row correctness scores: pass@k for the reported k of n samples per row. */
export function passAtKMetrics(perRowScores: readonly (readonly number[])[], n: number): Record<string, number> {
  const problems = perRowScores.map((scores) => ({ n: scores.length, c: scores.filter((s) => s >= PASS_THRESHOLD).length }));
  const out: Record<string, number> = {};
  for (const k of reportedKs(n)) {
    const v = meanPassAtK(problems, k);
    if (Number.isFinite(v)) out[passAtKMetric(k)] = v;
  }
  return out;
}
