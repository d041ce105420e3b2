// What the page starts with: the run config of its share link (#run=...), else the default. A bad link
// loses nothing: the default config is used and `shareError` says why in one sentence.
// (Owned by the share work: consent for custom code and curve summaries are decided here.)
import { defaultRunConfig, type RunConfig } from '../../rl/config/schema.ts';
import { decodeShareUrl, SHARE_PARAM } from '../../rl/config/share.ts';

/** A downsampled copy of a shared run's curves, shown as a reference run the recipient can replay against. */
export interface CurveSummary {
  name?: string;
  /** Train metrics per kept step (a few keys: reward, eval/accuracy, ...). */
  train: { step: number; metrics: Record<string, number> }[];
  evals: { step: number; metrics: Record<string, number> }[];
}

export interface InitialConfig {
  config: RunConfig;
  shareError: string | null;
  /** Curves that came with the link, if any. */
  sharedCurves: CurveSummary | null;
}

export function initialConfig(hash: string = typeof location === 'undefined' ? '' : location.hash): InitialConfig {
  if (!hash.includes(`${SHARE_PARAM}=`)) return { config: defaultRunConfig(), shareError: null, sharedCurves: null };
  try {
    return { config: decodeShareUrl(hash), shareError: null, sharedCurves: null };
  } catch (e) {
    return { config: defaultRunConfig(), shareError: (e as Error).message, sharedCurves: null };
  }
}
