// Evaluation: greedy completions on the task's fixed held-out rows (or given rows), scored by the rubric.
// eval/accuracy is the mean of the task's designated correctness criterion; eval/reward the mean total.
import type { TensorLike } from '../engine/backend.ts';
import type { Model } from '../engine/model.ts';
import type { RunConfig } from './config/schema.ts';
import { sampleRollouts, scoreContext, type ChatCodec } from './rollout.ts';
import type { Rubric } from './rubric/rubric.ts';
import type { Criterion, ScoreContext } from './rubric/types.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export interface EvalResult {
  metrics: { 'eval/reward': number; 'eval/accuracy': number } & Record<string, number>;
  samples: { prompt: string; completion: string; answer: string; reward: number; correct: number }[];
}

/** Held-out rows decoded per generate() call (the memory plan sizes evaluation by it). */
export const EVAL_BATCH = 16;

export async function evaluate<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  codec: ChatCodec,
  task: Task,
  rubric: Rubric,
  config: RunConfig,
  rows: TaskRow[] = task.evalRows(config.task.evalSize),
): Promise<EvalResult> {
  const correct = rubric.criterionOfKind(task.correctnessCriterion);
  const batchSize = EVAL_BATCH;
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
    const ctxs = rollouts.map((r) => ({ ...scoreContext(r), maxNewTokens: config.eval.maxNewTokens }));
    const [scored, correctness] = await Promise.all([rubric.scoreEach(ctxs), safeScores(correct, ctxs)]);
    rollouts.forEach((r, i) => {
      const s = scored[i];
      for (const [name, v] of Object.entries(s.scores)) perCriterion[name] = (perCriterion[name] ?? 0) + v;
      samples.push({ prompt: r.row.prompt, completion: r.text, answer: r.row.answer, reward: s.total, correct: correctness[i] });
    });
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
 * how reward hacking is shown), so `rubric.criterionOfKind` gives the rubric's own criterion of the task's
 * correctness kind (its params) or else that kind with default params. A failure counts as 0.
 */
async function safeScores(criterion: Criterion, ctxs: ScoreContext[]): Promise<number[]> {
  const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  if (criterion.scoreBatch) {
    const out = await criterion.scoreBatch(ctxs).catch(() => ctxs.map(() => 0));
    return ctxs.map((_, i) => finite(out[i]));
  }
  return Promise.all(ctxs.map(async (ctx) => finite(await Promise.resolve().then(() => criterion(ctx)).catch(() => 0))));
}
