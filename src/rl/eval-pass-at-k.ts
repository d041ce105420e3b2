// pass@k on the held-out set (eval.passAtK): G completions per row sampled at the training temperature, top-k
// and top-p (the eval length limit), each scored by the task's correctness criterion only (the rest of the rubric,
// a judge included, is not asked: G times the requests for a number nobody charts). Reported with the unbiased
// estimator (pass-at-k.ts) as eval/pass@k for k = 1, 2, 4, ... G, beside eval/pass@1_greedy from the greedy
// answers. GRPO's job is to turn pass@G into pass@1: the gap between them is what training can still gain.
// The sampling seed is the same at every evaluation (common random numbers), so curves move with the model only.
import { hash32 } from '../engine/rng.ts';
import type { TensorLike } from '../engine/backend.ts';
import type { Model } from '../engine/model.ts';
import type { RunConfig } from './config/schema.ts';
import { GREEDY_PASS_AT_1, PASS_THRESHOLD, passAtKMetrics } from './pass-at-k.ts';
import { sampleRollouts, scoreContext, type ChatCodec } from './rollout.ts';
import { scoreCriterion, type Rubric } from './rubric/rubric.ts';
import type { Task, TaskRow } from './tasks/types.ts';

/** Sequences decoded per generate() call at most (as greedy evaluation's EVAL_BATCH rows; at least one group). */
const MAX_SEQUENCES = 16;
const SEED_SALT = 0x9a55a7c;

export async function sampledPassAtK<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  codec: ChatCodec,
  task: Task,
  rubric: Rubric,
  config: RunConfig,
  rows: readonly TaskRow[],
  greedyCorrect: readonly number[],
): Promise<Record<string, number>> {
  const G = config.grpo.groupSize;
  const correctness = rubric.criterionOfKind(task.correctnessCriterion);
  const perRow: number[][] = [];
  const rowsPerCall = Math.max(1, Math.floor(MAX_SEQUENCES / G));
  for (let start = 0; start < rows.length; start += rowsPerCall) {
    const chunk = rows.slice(start, start + rowsPerCall);
    const sampling = { ...config.sampling, maxNewTokens: config.eval.maxNewTokens };
    const rollouts = await sampleRollouts(model, codec, task, chunk, G, sampling, hash32(config.seed ^ hash32(SEED_SALT + start)));
    const outcomes = await scoreCriterion(
      correctness,
      rollouts.map((r) => ({ ...scoreContext(r), maxNewTokens: config.eval.maxNewTokens })),
    );
    chunk.forEach((_, p) => perRow.push(outcomes.slice(p * G, (p + 1) * G).map((o) => o.score)));
  }
  const greedy = greedyCorrect.filter((c) => c >= PASS_THRESHOLD).length / Math.max(greedyCorrect.length, 1);
  return { [GREEDY_PASS_AT_1]: greedy, ...passAtKMetrics(perRow, G) };
}
