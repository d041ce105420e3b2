// What the page starts with: the run config of its share link (#run=...), else the default. A bad link
// loses nothing: the default config is used and `shareError` says why in one sentence. A link whose config
// runs code (custom_code, regex, llm_judge criteria) is NOT applied here: the page starts on the default
// config and the consent prompt (consent-store.ts, ShareLinkNotice.tsx) applies it once the user accepts.
// Curves that came with the link are returned whether or not the config awaits consent (they are data).
import type { RunConfig } from '../../rl/config/schema.ts';
import { DEFAULT_PRESET, getPreset } from '../../rl/presets.ts';
import type { CurveSummary } from './curves.ts';
import { openShareLink } from './share-link.ts';
import { untrustedCriteria } from './untrusted.ts';

export type { CurveSummary } from './curves.ts';

export interface InitialConfig {
  config: RunConfig;
  shareError: string | null;
  /** Curves that came with the link, if any. */
  sharedCurves: CurveSummary | null;
}

export function initialConfig(hash: string = typeof location === 'undefined' ? '' : location.hash): InitialConfig {
  const link = openShareLink(hash);
  if (!link.config) return { config: getPreset(DEFAULT_PRESET), shareError: link.configError, sharedCurves: null };
  const needsConsent = untrustedCriteria(link.config).length > 0;
  return { config: needsConsent ? getPreset(DEFAULT_PRESET) : link.config, shareError: null, sharedCurves: link.curves };
}
