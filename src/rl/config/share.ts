// Share URLs: the run config's non-default values, versioned and lz-string compressed into the URL hash
// (`#run=...`). The CLI's --url and the UI's Share button both use this one codec. Decoding never throws
// anything but a ShareUrlError with one clear message.
import LZString from 'lz-string';
import { mergeWithDefaults, nonDefaultValues, parseRunConfig, type RunConfig } from './schema.ts';

export const SHARE_PARAM = 'run';
/** Longer payloads are refused before decompression (URLs this long are already impractical). */
export const MAX_SHARE_PAYLOAD = 64 * 1024;

export class ShareUrlError extends Error {
  override name = 'ShareUrlError';
}

export function encodeShareHash(config: RunConfig): string {
  const payload = LZString.compressToEncodedURIComponent(JSON.stringify(nonDefaultValues(config)));
  return `#${SHARE_PARAM}=${payload}`;
}

export function shareUrl(config: RunConfig, base: string): string {
  const u = new URL(base);
  u.hash = encodeShareHash(config).slice(1);
  return u.toString();
}

/** Parse a share URL (or just its hash). */
export function decodeShareUrl(url: string): RunConfig {
  const hash = url.includes('#') ? url.slice(url.indexOf('#') + 1) : url;
  const params = new URLSearchParams(hash);
  const payload = params.get(SHARE_PARAM);
  if (!payload) throw new ShareUrlError(`not a GRPO Playground share link: the URL has no #${SHARE_PARAM}=... part`);
  if (payload.length > MAX_SHARE_PAYLOAD) {
    throw new ShareUrlError(`share link too long (${payload.length} characters, the limit is ${MAX_SHARE_PAYLOAD})`);
  }
  const json = LZString.decompressFromEncodedURIComponent(payload);
  if (!json) throw new ShareUrlError('share link is corrupted: its run data could not be decompressed');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ShareUrlError('share link is corrupted: its run data is not valid JSON');
  }
  try {
    return parseRunConfig(mergeWithDefaults(raw as Partial<RunConfig>));
  } catch (e) {
    throw new ShareUrlError(`share link holds an invalid run config: ${(e as Error).message}`);
  }
}
