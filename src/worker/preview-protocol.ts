// Messages between the config panels and the rubric preview worker (preview.worker.ts), which scores the
// rubric on a few sample completions so custom code (QuickJS) and rubric code never run on the UI thread.
// Requests carry an id; the page shows only the answer to its latest request.
import type { CriterionSpec } from '../rl/rubric/types.ts';
import type { RunSecrets } from './protocol.ts';

/** One completion to score, with the prompt and reference answer it answers. */
export interface PreviewSample {
  prompt: string;
  completion: string;
  answer: string;
  /** The task row's info (e.g. countdown numbers), when known. */
  info?: Record<string, unknown>;
}

export interface PreviewRequest {
  criteria: CriterionSpec[];
  samples: PreviewSample[];
  /** llm_judge criteria are called only when this is true (each call costs the user an API request). */
  callJudge: boolean;
  /** sampling.maxNewTokens of the config, for criteria that compare lengths with it. */
  maxNewTokens?: number;
}

/** Per criterion: 'scored', or why it was left out of the preview. */
export type PreviewCriterionState = { name: string; weight: number; kind: string; skipped?: string };

export interface PreviewRow {
  /** Weighted total of the scored criteria. */
  total: number;
  /** Raw score per scored criterion name (0 where it failed). */
  scores: Record<string, number>;
  /** Error message per criterion that failed on this sample. */
  errors: Record<string, string>;
}

export type PreviewResult =
  | { ok: true; criteria: PreviewCriterionState[]; rows: PreviewRow[] }
  /** The rubric could not be built (invalid params): one message. */
  | { ok: false; error: string };

export type UiToPreview = { type: 'score'; id: number; request: PreviewRequest; secrets?: RunSecrets };

export type PreviewToUi = { type: 'scored'; id: number; result: PreviewResult };
