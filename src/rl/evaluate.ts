// Evaluation: greedy completions on the task's fixed held-out rows (or given rows), scored by the rubric.
// eval/accuracy is the mean of the task's designated correctness criterion; eval/reward the mean total.
import type { TensorLike } from '../engine/backend.ts';
import type { Model } from '../engine/model.ts';
import type { RunConfig } from './config/schema.ts';
import { sampleRollouts, type ChatCodec } from './rollout.ts';
import { createCriterion } from './rubric/criteria.ts';
import type { Rubric } from './rubric/rubric.ts';
import type { CriterionFn } from './rubric/types.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export interface EvalResult {
  metrics: { 'eval/reward': number; 'eval/accuracy': number } & Record<string, number>;
  samples: { prompt: string; completion: string; answer: string; reward: number; correct: number }[];
}

export async function evaluate<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  codec: ChatCodec,
  task: Task,
  rubric: Rubric,
  config: RunConfig,
  rows: TaskRow[] = task.evalRows(config.task.evalSize),
): Promise<EvalResult> {
  const correct = correctnessFn(task, rubric);
  const batchSize = 16;
  const samples: EvalResult['samples'] = [];
  const perCriterion: Record<string, number> = {};
  for (let start = 0; start < rows.length; start += batchSize) {
    const chunk = rows.slice(start, start + batchSize);
    const rollouts = await sampleRollouts(model, codec, task, chunk, 1, {
      temperature: 0,
      topK: 0,
      topP: 1,
      maxNewTokens: config.eval.maxNewTokens,
      stop: config.sampling.stop,
    }, 0);
    for (const r of rollouts) {
      const s = rubric.score({ prompt: r.row.prompt, completion: r.text, answer: r.row.answer });
      for (const [name, v] of Object.entries(s.scores)) perCriterion[name] = (perCriterion[name] ?? 0) + v;
      samples.push({ prompt: r.row.prompt, completion: r.text, answer: r.row.answer, reward: s.total, correct: safeScore(correct, r.row.prompt, r.text, r.row.answer) });
    }
  }
  const n = Math.max(samples.length, 1);
  const metrics: EvalResult['metrics'] = {
    'eval/reward': samples.reduce((a, s) => a + s.reward, 0) / n,
    'eval/accuracy': samples.reduce((a, s) => a + s.correct, 0) / n,
  };
  for (const [name, total] of Object.entries(perCriterion)) metrics[`eval/rewards/${name}/mean`] = total / n;
  return { metrics, samples };
}

/**
 * Accuracy must not depend on the reward: a user may drop or down-weight the correctness criterion (that is
 * how reward hacking is shown). Use the rubric's own criterion of the task's correctness kind when there is
 * one (its params), else that kind with default params.
 */
function correctnessFn(task: Task, rubric: Rubric): CriterionFn {
  const spec = rubric.criteria.find((c) => c.kind === task.correctnessCriterion);
  return createCriterion(task.correctnessCriterion, spec?.params ?? {});
}

function safeScore(fn: CriterionFn, prompt: string, completion: string, answer: string): number {
  try {
    const v = fn({ prompt, completion, answer });
    return Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}
