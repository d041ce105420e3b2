// Evaluation: greedy completions on the task's fixed held-out rows (or given rows), scored by the rubric.
// eval/accuracy is the mean of the task's designated correctness criterion; eval/reward the mean total. A
// criterion that fails on a completion scores 0 there and is counted (eval/rewards/<name>/errors,
// eval/accuracy_errors), under the rubric's one rule for failures (rubric.ts). With eval.passAtK it also
// samples G completions per row and reports pass@k (eval-pass-at-k.ts).
import type { TensorLike } from '../engine/backend.ts';
import type { Model } from '../engine/model.ts';
import type { RunConfig } from './config/schema.ts';
import { sampledPassAtK } from './eval-pass-at-k.ts';
import { evalRewardErrorsMetric, evalRewardMeanMetric, METRIC } from './metrics.ts';
import { sampleRollouts, scoreContext, type ChatCodec } from './rollout.ts';
import { scoreCriterion, type CriterionOutcome, type Rubric } from './rubric/rubric.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export interface EvalResult {
  metrics: { [METRIC.evalReward]: number; [METRIC.evalAccuracy]: number } & Record<string, number>;
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
  // Accuracy must not depend on the reward: a user may drop or down-weight the correctness criterion (that is
  // how reward hacking is shown). So it is the rubric's own criterion of the task's correctness kind (its
  // params, scored once with the others), or else that kind with default params, scored beside the rubric.
  const own = rubric.criteria.find((c) => c.kind === task.correctnessCriterion)?.name;
  const standIn = own === undefined ? rubric.criterionOfKind(task.correctnessCriterion) : null;
  const samples: EvalResult['samples'] = [];
  const totals = new Map(rubric.criteria.map((c) => [c.name, { score: 0, errors: 0 }]));
  let accuracyErrors = 0;
  for (let start = 0; start < rows.length; start += EVAL_BATCH) {
    const chunk = rows.slice(start, start + EVAL_BATCH);
    const rollouts = await sampleRollouts(model, codec, task, chunk, 1, {
      temperature: 0,
      topK: 0,
      topP: 1,
      maxNewTokens: config.eval.maxNewTokens,
      stop: config.sampling.stop,
    }, 0);
    const ctxs = rollouts.map((r) => ({ ...scoreContext(r), maxNewTokens: config.eval.maxNewTokens }));
    const [scored, standInOutcomes] = await Promise.all([rubric.scoreEach(ctxs), standIn ? scoreCriterion(standIn, ctxs) : null]);
    rollouts.forEach((r, i) => {
      const s = scored[i];
      for (const [name, t] of totals) {
        t.score += s.scores[name];
        t.errors += s.errors[name];
      }
      const correct: CriterionOutcome =
        own !== undefined ? { score: s.scores[own], ...(s.errors[own] ? { error: s.errorMessages[own] } : {}) } : standInOutcomes![i];
      if (correct.error !== undefined) accuracyErrors++;
      samples.push({ prompt: r.row.prompt, completion: r.text, answer: r.row.answer, reward: s.total, correct: correct.score });
    });
  }
  const n = Math.max(samples.length, 1);
  const metrics: EvalResult['metrics'] = {
    [METRIC.evalReward]: samples.reduce((a, s) => a + s.reward, 0) / n,
    [METRIC.evalAccuracy]: samples.reduce((a, s) => a + s.correct, 0) / n,
  };
  if (accuracyErrors > 0) metrics[METRIC.evalAccuracyErrors] = accuracyErrors;
  for (const [name, t] of totals) {
    metrics[evalRewardMeanMetric(name)] = t.score / n;
    if (t.errors > 0) metrics[evalRewardErrorsMetric(name)] = t.errors;
  }
  if (config.eval.passAtK) {
    Object.assign(metrics, await sampledPassAtK(model, codec, task, rubric, config, rows, samples.map((s) => s.correct)));
  }
  return { metrics, samples };
}
