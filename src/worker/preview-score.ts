// The rubric preview's scoring, as a pure async function (the preview worker is its thin shell; tests run it
// in Node): build the same Rubric class training uses, score each sample, and report per criterion the raw
// score or the error message. Judge criteria are left out unless asked for, so typing never spends API calls.
import { Rubric } from '../rl/rubric/rubric.ts';
import type { CriterionEnv, ScoreContext } from '../rl/rubric/types.ts';
import type { PreviewRequest, PreviewResult } from './preview-protocol.ts';

export const JUDGE_SKIPPED = 'not called in the preview (each call is an API request): tick "Call the judge" to score it';

export async function scorePreview(request: PreviewRequest, env: CriterionEnv = {}): Promise<PreviewResult> {
  const skipped = (kind: string) => (kind === 'llm_judge' && !request.callJudge ? JUDGE_SKIPPED : undefined);
  const criteria = request.criteria.map((c) => ({ name: c.name, weight: c.weight, kind: c.kind, skipped: skipped(c.kind) }));
  const scored = request.criteria.filter((c) => !skipped(c.kind));
  if (scored.length === 0 || request.samples.length === 0) {
    return { ok: true, criteria, rows: request.samples.map(() => ({ total: 0, scores: {}, errors: {} })) };
  }
  let rubric: Rubric;
  try {
    rubric = new Rubric(scored, undefined, env);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  const contexts: ScoreContext[] = request.samples.map((s) => ({
    prompt: s.prompt,
    completion: s.completion,
    answer: s.answer,
    info: s.info,
    maxNewTokens: request.maxNewTokens,
  }));
  const results = await rubric.scoreEach(contexts);
  return {
    ok: true,
    criteria,
    rows: results.map((r) => ({ total: r.total, scores: r.scores, errors: r.errorMessages })),
  };
}
