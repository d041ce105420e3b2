// Which charts the Charts tab draws, as data: one small multiple per metric (or a few related metrics), in
// reading order. A chart whose metrics no shown run has is not drawn. Per-criterion reward charts are found
// from the `rewards/<name>/mean` keys the runs logged.
import { criterionOfRewardMean, METRIC, rewardMeanMetric } from '../../rl/metrics.ts';
import { GREEDY_PASS_AT_1, passAtKMetric } from '../../rl/pass-at-k.ts';
import type { RunRecord } from '../store/runs.ts';

export interface LineSpec {
  /** Metric name, as logged by the trainer. */
  key: string;
  /** Train metrics are smoothed; eval metrics (a few points) are drawn as dots and lines, never smoothed. */
  source: 'train' | 'eval';
  /** Legend / tooltip label. */
  label: string;
  /** A second or third metric on the same chart is told apart by its dash pattern. */
  dash?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  /** One sentence for the chart's caption (what a rise or fall means). */
  hint: string;
  lines: LineSpec[];
}

const train = (key: string, label = key, dash?: string): LineSpec => ({ key, source: 'train', label, dash });
const evalLine = (key: string, label: string, dash?: string): LineSpec => ({ key, source: 'eval', label, dash });

export const REWARD_CHART_ID = 'reward';

const BEFORE_CRITERIA: ChartSpec[] = [
  { id: REWARD_CHART_ID, title: 'Reward', hint: 'Mean total reward of the step’s completions (weighted sum of the criteria).', lines: [train(METRIC.reward)] },
];

const AFTER_CRITERIA: ChartSpec[] = [
  {
    id: 'eval',
    title: 'Eval accuracy',
    hint: 'Greedy answers on the held-out set: accuracy (correctness criterion) and total reward.',
    lines: [evalLine(METRIC.evalAccuracy, 'accuracy'), evalLine(METRIC.evalReward, 'reward', '5 3')],
  },
  { id: 'kl', title: 'KL to reference', hint: 'How far the policy moved from the frozen reference model (k3 estimator).', lines: [train(METRIC.kl)] },
  { id: 'entropy', title: 'Entropy', hint: 'Mean per-token entropy: falling fast means the policy is collapsing.', lines: [train(METRIC.entropy)] },
  {
    id: 'clip',
    title: 'Clip ratio',
    hint: 'Fraction of tokens whose update the PPO clip held back (low / high side).',
    lines: [train(METRIC.clipRegionMean, 'region'), train(METRIC.clipLowMean, 'low', '5 3'), train(METRIC.clipHighMean, 'high', '2 2')],
  },
  { id: 'length', title: 'Completion length', hint: 'Mean completion length in tokens: watch for length inflation.', lines: [train(METRIC.completionsMeanLength, 'mean length')] },
  {
    id: 'zero-std',
    title: 'Zero-std groups',
    hint: 'Fraction of groups whose G rewards were all equal: they carry no learning signal.',
    lines: [train(METRIC.fracRewardZeroStd, 'fraction')],
  },
  { id: 'tokens-per-s', title: 'Tokens / s', hint: 'Throughput of the step (sampling and update).', lines: [train(METRIC.tokensPerS, 'tokens/s')] },
  { id: 'loss', title: 'Loss', hint: 'The clipped surrogate loss (its value is not a progress measure in GRPO).', lines: [train(METRIC.loss)] },
  { id: 'grad-norm', title: 'Gradient norm', hint: 'L2 norm of the gradient before clipping.', lines: [train(METRIC.gradNorm, 'grad norm')] },
  { id: 'lr', title: 'Learning rate', hint: 'The schedule’s learning rate at each step.', lines: [train(METRIC.learningRate, 'learning rate')] },
];

/** Criterion names with a `rewards/<name>/mean` series in any run, in order of first appearance. */
export function criterionNames(runs: readonly RunRecord[]): string[] {
  const names: string[] = [];
  for (const run of runs) {
    for (const p of run.train) {
      for (const key of Object.keys(p.metrics)) {
        const name = criterionOfRewardMean(key);
        if (name !== undefined && !names.includes(name)) names.push(name);
      }
    }
  }
  return names;
}

// One spec object per criterion name for the page's lifetime, so memoised charts see the same spec.
const criterionCharts = new Map<string, ChartSpec>();

function criterionChart(name: string): ChartSpec {
  let spec = criterionCharts.get(name);
  if (!spec) {
    spec = {
      id: `criterion-${name}`,
      title: `Criterion: ${name}`,
      hint: `Mean raw score of ${name} (before its weight).`,
      lines: [train(rewardMeanMetric(name), name)],
    };
    criterionCharts.set(name, spec);
  }
  return spec;
}

/** The k of every eval/pass@k series the runs logged (eval.passAtK), ascending. */
export function passAtKs(runs: readonly RunRecord[]): number[] {
  const ks = new Set<number>();
  for (const run of runs) for (const p of run.evals) for (const key of Object.keys(p.metrics)) {
    const m = /^eval\/pass@(\d+)$/.exec(key);
    if (m) ks.add(Number(m[1]));
  }
  return [...ks].sort((a, b) => a - b);
}

const PASS_DASHES = ['5 3', '2 2', '8 3 2 3', '1 3'];
// One spec per set of k, so memoised charts see the same spec while the runs' k stay the same.
const passCharts = new Map<string, ChartSpec>();

/** pass@1 greedy and sampled and pass@k up to G, next to eval accuracy: GRPO's job is to turn pass@G into pass@1. */
function passAtKChart(ks: readonly number[]): ChartSpec {
  const id = ks.join(',');
  let spec = passCharts.get(id);
  if (!spec) {
    spec = {
      id: 'pass-at-k',
      title: 'Eval pass@k',
      hint: 'Held-out set, G samples per row: pass@k is the chance that one of k samples is right (unbiased estimator). GRPO turns pass@G into pass@1: the gap closes as it learns.',
      lines: [
        evalLine(GREEDY_PASS_AT_1, 'pass@1 greedy'),
        ...ks.map((k, i) => evalLine(passAtKMetric(k), `pass@${k}`, PASS_DASHES[i % PASS_DASHES.length])),
      ],
    };
    passCharts.set(id, spec);
  }
  return spec;
}

/** True when some run has a point for one of the chart's metrics. */
export function chartHasData(spec: ChartSpec, runs: readonly RunRecord[]): boolean {
  return spec.lines.some((line) =>
    runs.some((run) => (line.source === 'train' ? run.train : run.evals).some((p) => Number.isFinite(p.metrics[line.key]))),
  );
}

/** The charts to draw for these runs: the reward chart always (it carries the empty state), others with data. */
export function chartSpecsFor(runs: readonly RunRecord[]): ChartSpec[] {
  const [evalChart, ...rest] = AFTER_CRITERIA;
  const all = [...BEFORE_CRITERIA, ...criterionNames(runs).map(criterionChart), evalChart, passAtKChart(passAtKs(runs)), ...rest];
  return all.filter((spec) => spec.id === REWARD_CHART_ID || chartHasData(spec, runs));
}
