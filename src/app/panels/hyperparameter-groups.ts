// The hyperparameters panel's layout: which config fields it shows, grouped, with a short label and the paper
// the field comes from. The one-line explanation, bounds and default come from the schema (schema-fields.ts).
import type { ConfigPath } from './config-edit.ts';

export interface Paper {
  label: string;
  url: string;
}

export const PAPERS = {
  grpo: { label: 'GRPO', url: 'https://arxiv.org/abs/2402.03300' },
  dapo: { label: 'DAPO', url: 'https://arxiv.org/abs/2503.14476' },
  drGrpo: { label: 'Dr. GRPO', url: 'https://arxiv.org/abs/2503.20783' },
  gspo: { label: 'GSPO', url: 'https://arxiv.org/abs/2507.18071' },
  ppo: { label: 'PPO', url: 'https://arxiv.org/abs/1707.06347' },
  adamw: { label: 'AdamW', url: 'https://arxiv.org/abs/1711.05101' },
} as const satisfies Record<string, Paper>;

export interface HyperparameterField {
  path: ConfigPath;
  label: string;
  paper?: Paper;
}

export interface HyperparameterGroup {
  id: string;
  title: string;
  fields: HyperparameterField[];
}

const f = (path: string, label: string, paper?: Paper): HyperparameterField => ({ path: path.split('.'), label, paper });

export const HYPERPARAMETER_GROUPS: readonly HyperparameterGroup[] = [
  {
    id: 'grpo',
    title: 'GRPO',
    fields: [
      f('grpo.groupSize', 'Group size G', PAPERS.grpo),
      f('grpo.promptsPerStep', 'Prompts per step'),
      f('grpo.lossType', 'Loss aggregation', PAPERS.drGrpo),
      f('grpo.scaleRewards', 'Advantage scaling', PAPERS.drGrpo),
      f('grpo.beta', 'KL coefficient β', PAPERS.grpo),
      f('grpo.epsilonLow', 'Clip ε low', PAPERS.ppo),
      f('grpo.epsilonHigh', 'Clip ε high', PAPERS.dapo),
      f('grpo.numIterations', 'Iterations per batch μ', PAPERS.grpo),
      f('grpo.dynamicSampling', 'Dynamic sampling', PAPERS.dapo),
      f('grpo.maxResampleRounds', 'Max resample rounds', PAPERS.dapo),
      f('grpo.importanceSampling', 'Importance ratio level', PAPERS.gspo),
      f('grpo.maskTruncatedCompletions', 'Mask truncated completions', PAPERS.dapo),
      f('grpo.skipZeroStdGroups', 'Skip zero-std groups', PAPERS.dapo),
    ],
  },
  {
    id: 'optimiser',
    title: 'Optimiser',
    fields: [
      f('grpo.learningRate', 'Learning rate', PAPERS.adamw),
      f('grpo.lrSchedule', 'LR schedule'),
      f('grpo.warmupSteps', 'Warmup steps', PAPERS.dapo),
      f('grpo.minLrRatio', 'Min LR ratio'),
      f('grpo.maxGradNorm', 'Max gradient norm'),
      f('grpo.weightDecay', 'Weight decay', PAPERS.adamw),
      f('grpo.adamBeta1', 'Adam β1', PAPERS.adamw),
      f('grpo.adamBeta2', 'Adam β2', PAPERS.adamw),
      f('grpo.adamEps', 'Adam ε', PAPERS.adamw),
    ],
  },
  {
    id: 'sampling',
    title: 'Sampling',
    fields: [
      f('sampling.temperature', 'Temperature'),
      f('sampling.topK', 'Top-k'),
      f('sampling.topP', 'Top-p'),
      f('sampling.maxNewTokens', 'Max new tokens'),
      f('sampling.stop', 'Stop strings'),
    ],
  },
  {
    id: 'run',
    title: 'Run',
    fields: [f('steps', 'Steps'), f('seed', 'Seed'), f('eval.every', 'Evaluate every'), f('eval.maxNewTokens', 'Eval max new tokens'), f('eval.passAtK', 'Eval pass@k (G samples per row)')],
  },
];

/** A DOM id for a field's input ("hp-grpo-learningRate"). */
export function fieldId(path: ConfigPath): string {
  return `hp-${path.join('-')}`;
}
