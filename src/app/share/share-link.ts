// The page's share link as a whole: `#run=<config>&curves=<summary>&hide=<controls>`. Building it for the
// Share panel and reading it when a page opens (or its hash changes). Pure: no DOM, no store.
import type { RunConfig } from '../../rl/config/schema.ts';
import { decodeShareUrl, encodeShareHash, hashParams, SHARE_PARAM } from '../../rl/config/share.ts';
import { hideParam, type ControlId } from '../classroom.ts';
import { CURVES_PARAM, decodeCurves, encodeCurves, hasCurves, type CurveSummary } from './curves.ts';

/** Links longer than this may be cut by chat apps, mail clients and some browsers. */
export const LONG_LINK_CHARS = 8000;

export interface ShareLinkParts {
  config: RunConfig;
  curves?: CurveSummary | null;
  hide?: Iterable<ControlId>;
}

/** The full share URL: `base` (its own hash dropped) plus the run, optional curves and classroom params. */
export function buildShareLink(base: string, { config, curves, hide = [] }: ShareLinkParts): string {
  const url = new URL(base);
  const params = [encodeShareHash(config).slice(1)];
  if (hasCurves(curves)) params.push(`${CURVES_PARAM}=${encodeCurves(curves)}`);
  const hidden = hideParam(hide);
  if (hidden) params.push(hidden);
  url.hash = params.join('&');
  return url.toString();
}

export interface OpenedShareLink {
  /** True when the hash holds a run (`run=`), whether or not it could be read. */
  present: boolean;
  /** The link's config, or null when absent or unreadable. */
  config: RunConfig | null;
  configError: string | null;
  /** The link's curves (only with a readable config: curves of a run we cannot show would mislead). */
  curves: CurveSummary | null;
  /** Why the curves were dropped (the config still opens). */
  curvesError: string | null;
}

/** Read a page's hash (or a whole URL). Never throws. */
export function openShareLink(hash: string): OpenedShareLink {
  const params = hashParams(hash);
  const none: OpenedShareLink = { present: false, config: null, configError: null, curves: null, curvesError: null };
  if (!params.has(SHARE_PARAM)) return none;
  let config: RunConfig;
  try {
    config = decodeShareUrl(hash);
  } catch (e) {
    return { ...none, present: true, configError: (e as Error).message };
  }
  const payload = params.get(CURVES_PARAM);
  if (payload === null) return { ...none, present: true, config };
  try {
    const curves = decodeCurves(payload);
    return { ...none, present: true, config, curves: hasCurves(curves) ? curves : null };
  } catch (e) {
    return { ...none, present: true, config, curvesError: (e as Error).message };
  }
}

/** The hash without the run and curves params (a classroom `hide=` stays): for "dismiss" on a bad link. */
export function hashWithoutShare(hash: string): string {
  const params = hashParams(hash);
  const kept = [...params.entries()].filter(([k]) => k !== SHARE_PARAM && k !== CURVES_PARAM);
  return kept.map(([k, v]) => (k === 'hide' ? `${k}=${v}` : `${k}=${encodeURIComponent(v)}`)).join('&');
}
