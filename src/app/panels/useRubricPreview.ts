// Scores the rubric on the preview samples in the preview worker, debounced: typing in the code editor
// re-scores a moment after the last key. Returns the latest result and whether a newer one is on its way.
import { useEffect, useMemo, useState } from 'react';
import type { CriterionSpec } from '../../rl/rubric/types.ts';
import type { PreviewRequest, PreviewResult } from '../../worker/preview-protocol.ts';
import { currentSecrets } from '../secrets.ts';
import { requestPreview } from './preview-client.ts';
import { toPreviewSamples, type PreviewSamples } from './preview-samples.ts';

export const PREVIEW_DEBOUNCE_MS = 300;

export interface PreviewState {
  result: PreviewResult | null;
  /** True from an edit until its scores arrive. */
  scoring: boolean;
  /** The request the result answers (its criteria and samples), to label the table consistently. */
  request: PreviewRequest | null;
}

export function useRubricPreview(
  criteria: readonly CriterionSpec[],
  samples: PreviewSamples,
  callJudge: boolean,
  maxNewTokens: number,
  /** Requests supersede only earlier ones of the same channel (preview-client.ts). */
  channel = 'rubric',
): PreviewState {
  // One key per distinct request: identical configs (a re-commit of the same text) do not re-score.
  const request = useMemo<PreviewRequest>(
    () => ({ criteria: structuredClone([...criteria]), samples: toPreviewSamples(samples), callJudge, maxNewTokens }),
    [criteria, samples, callJudge, maxNewTokens],
  );
  const key = JSON.stringify(request);
  const [answered, setAnswered] = useState<{ key: string; result: PreviewResult; request: PreviewRequest } | null>(null);

  useEffect(() => {
    const current = JSON.parse(key) as PreviewRequest;
    let live = true;
    const timer = setTimeout(() => {
      void requestPreview(current, callJudgeSecrets(current), channel).then((result) => {
        if (live && result) setAnswered({ key, result, request: current });
      });
    }, PREVIEW_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key, channel]);
  return { result: answered?.result ?? null, request: answered?.request ?? null, scoring: answered?.key !== key };
}

/** The judge key travels to the preview worker only when the user asked for judge calls. */
function callJudgeSecrets(request: PreviewRequest) {
  return request.callJudge ? currentSecrets() : undefined;
}
