// Rubric weights tuned to a person's judgement. Given each criterion's raw score on some sample completions
// (S, n samples x m criteria) and the person's labels y (good = 1 / bad = 0, or 1-5), find non-negative
// weights w so that the reward r = S w orders the samples as the labels do.
//
// The fit: non-negative least squares on pairwise differences,
//   minimise  sum over pairs i < j of ((s_i - s_j) . w - (y_i - y_j))^2  +  lambda |w|^2,   w >= 0,
// which equals least squares on the centred scores and labels (sum_{i<j} (a_i - a_j)^2 = n sum_i (a_i - mean)^2),
// so no intercept is needed and only differences, the ordering, matter. lambda is tiny (1e-6 of the mean
// diagonal) and only breaks ties between criteria that score the samples identically. It is solved by cyclic
// coordinate descent, w_j <- max(0, w_j - g_j / Q_jj) on the normal equations Q w = b: a convex quadratic over a
// box, so this converges to the optimum.
// Criteria left out of the fit keep their weight: those with a negative weight (penalties stay penalties) and
// those that score every labelled sample the same (the labels say nothing about them). The labels' unit is
// arbitrary: where kept criteria vary, their combined reward is one more column with its own coefficient alpha,
// and the fitted weights are divided by alpha (so they are in the same unit as the kept ones); otherwise they are
// rescaled to the sum the fitted criteria's weights had before. Either way the reward keeps its size; the mix changes.
//
// Agreement is reported before and after as pairwise accuracy (over pairs with different labels, the share the
// reward orders the same way; a reward tie counts one half) and Kendall's tau-b between reward and label.

export interface Agreement {
  /** Share of differently-labelled pairs the reward orders as the labels do (ties 1/2); NaN without such pairs. */
  pairwiseAccuracy: number;
  /** Kendall's tau-b between rewards and labels, in [-1, 1]; NaN when either is constant. */
  kendallTau: number;
  /** Differently-labelled pairs. */
  pairs: number;
}

export interface WeightFitInput {
  /** scores[i][k]: criterion k's raw score on sample i. */
  scores: readonly (readonly number[])[];
  /** The person's label per sample (higher is better); undefined = not labelled, left out. */
  labels: readonly (number | undefined)[];
  /** Current weights, one per criterion. */
  weights: readonly number[];
}

export interface WeightFitResult {
  /** Proposed weights (criteria not fitted keep theirs). */
  weights: number[];
  /** Which criteria the fit set. */
  fitted: boolean[];
  before: Agreement;
  after: Agreement;
  /** Labelled samples used. */
  samples: number;
  /** Why the weights were left as they were, when they were. */
  note?: string;
}

const SWEEPS = 2000;

const reward = (s: readonly number[], w: readonly number[]) => s.reduce((a, x, k) => a + x * w[k], 0);

/** Pairwise accuracy and Kendall tau-b of `rewards` against `labels` (same length). */
export function agreement(rewards: readonly number[], labels: readonly number[]): Agreement {
  let concordant = 0;
  let discordant = 0;
  let tiedReward = 0; // pairs tied in reward only
  let tiedLabel = 0; // pairs tied in label only
  let correct = 0;
  let pairs = 0;
  for (let i = 0; i < rewards.length; i++) {
    for (let j = i + 1; j < rewards.length; j++) {
      const dr = Math.sign(rewards[i] - rewards[j]);
      const dy = Math.sign(labels[i] - labels[j]);
      if (dy !== 0) {
        pairs++;
        correct += dr === dy ? 1 : dr === 0 ? 0.5 : 0;
      }
      if (dr !== 0 && dy !== 0) {
        if (dr === dy) concordant++;
        else discordant++;
      } else if (dr === 0 && dy !== 0) tiedReward++;
      else if (dy === 0 && dr !== 0) tiedLabel++;
    }
  }
  const denom = Math.sqrt((concordant + discordant + tiedReward) * (concordant + discordant + tiedLabel));
  return { pairwiseAccuracy: pairs ? correct / pairs : NaN, kendallTau: denom ? (concordant - discordant) / denom : NaN, pairs };
}

/** Non-negative weights whose reward orders the labelled samples as the labels do (see the file header). */
export function fitWeights({ scores, labels, weights }: WeightFitInput): WeightFitResult {
  const m = weights.length;
  const rows = labels.flatMap((y, i) => (y === undefined || !Number.isFinite(y) ? [] : [i]));
  const S = rows.map((i) => scores[i]);
  const y = rows.map((i) => labels[i]!);
  if (S.some((s) => s.length !== m)) throw new Error(`each sample needs ${m} criterion scores`);
  const agreeWith = (w: readonly number[]) => agreement(S.map((s) => reward(s, w)), y);
  const before = agreeWith(weights);
  const unchanged = (note: string): WeightFitResult => ({ weights: [...weights], fitted: weights.map(() => false), before, after: before, samples: rows.length, note });
  if (before.pairs === 0) return unchanged('label at least two samples differently');

  // Centre scores and labels (pairwise differences, see above).
  const n = rows.length;
  const mean = (k: number) => S.reduce((a, s) => a + s[k], 0) / n;
  const sMean = Array.from({ length: m }, (_, k) => mean(k));
  const yMean = y.reduce((a, v) => a + v, 0) / n;
  const A = S.map((s) => s.map((x, k) => x - sMean[k]));
  const b0 = y.map((v) => v - yMean);
  const fitted = weights.map((w, k) => w >= 0 && A.some((a) => Math.abs(a[k]) > 1e-12));
  const free = fitted.flatMap((f, k) => (f ? [k] : []));
  if (free.length === 0) return unchanged('no criterion with a non-negative weight tells the labelled samples apart');

  // Columns: the free criteria, plus (when the fixed criteria vary) their combined reward as one more column
  // with its own coefficient alpha >= 0. The labels' unit is arbitrary: y ~ alpha (fixed + S_free w) gives
  // u = alpha w, so w = u / alpha keeps the fitted weights in the fixed criteria's units.
  const fixedColumn = A.map((a) => a.reduce((acc, x, k) => acc + (fitted[k] ? 0 : x * weights[k]), 0));
  const hasFixed = fixedColumn.some((v) => Math.abs(v) > 1e-12);
  const columns = [...free.map((k) => A.map((a) => a[k])), ...(hasFixed ? [fixedColumn] : [])];
  const u = nnls(columns, b0);
  const alpha = hasFixed ? u[free.length] : 0;
  let w = u.slice(0, free.length);
  const sum = w.reduce((a, v) => a + v, 0);
  if (!(sum > 0)) return unchanged('no non-negative weighting of these criteria agrees with the labels (every fitted weight came out 0)');
  if (alpha > 1e-9) w = w.map((v) => v / alpha);
  else {
    const previous = free.reduce((a, k) => a + weights[k], 0);
    if (previous > 0) w = w.map((v) => (v * previous) / sum);
  }
  const out = [...weights];
  free.forEach((k, j) => (out[k] = w[j]));
  return { weights: out, fitted, before, after: agreeWith(out), samples: rows.length };
}

/**
 * min |sum_j u_j columns[j] - target|^2 + lambda |u|^2 over u >= 0, by cyclic coordinate descent on the normal
 * equations (a convex quadratic over a box: it converges to the optimum).
 */
function nnls(columns: readonly (readonly number[])[], target: readonly number[]): number[] {
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((acc, x, i) => acc + x * b[i], 0);
  const Q = columns.map((a) => columns.map((c) => dot(a, c)));
  const b = columns.map((a) => dot(a, target));
  const lambda = (1e-6 * Q.reduce((acc, row, j) => acc + row[j], 0)) / columns.length;
  Q.forEach((row, j) => (row[j] += lambda));
  const u = columns.map(() => 0);
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let change = 0;
    for (let j = 0; j < u.length; j++) {
      const next = Math.max(0, u[j] - (dot(Q[j], u) - b[j]) / Q[j][j]);
      change = Math.max(change, Math.abs(next - u[j]));
      u[j] = next;
    }
    if (change < 1e-13) break;
  }
  return u;
}
