// How the Hub picker writes a download's progress ("12.3 MB / 269 MB · 4.5 MB/s · 55 s left") and a fit line.
import { formatBytes } from '../panels/model-format.ts';
import type { DownloadProgress } from './useHubModel.ts';

export function formatDuration(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

export function formatProgress(p: DownloadProgress): string {
  const parts = [p.total ? `${formatBytes(p.loaded)} / ${formatBytes(p.total)}` : formatBytes(p.loaded)];
  if (p.bytesPerSecond > 0) parts.push(`${formatBytes(p.bytesPerSecond)}/s`);
  if (p.etaSeconds !== undefined && p.loaded < (p.total ?? Infinity)) parts.push(`${formatDuration(p.etaSeconds)} left`);
  return parts.join(' · ');
}

/** "hf:ORG/NAME[@REV]" from what a person types ("ORG/NAME", "hf:ORG/NAME", a Hub URL). */
export function normaliseHubId(text: string): string {
  let t = text.trim();
  const url = /^https?:\/\/[^/]+\/([^/]+\/[^/?#]+)(?:\/tree\/([^/?#]+))?/.exec(t);
  if (url) t = url[2] ? `${url[1]}@${url[2]}` : url[1];
  return t.startsWith('hf:') ? t : `hf:${t}`;
}
