// Share URLs: the run config's non-default values, versioned and lz-string compressed into the URL hash
// (`#run=...`). The CLI's --url and the UI's Share button both use this one codec. Decoding never throws
// anything but a ShareUrlError with one clear message. Hostile links are bounded: the payload's length, the
// decompressed length (share-decompress.ts; an LZW stream expands quadratically) and the nesting depth (schema.ts). The page may add more hash params beside `run`
// (`curves=` a curve summary, `hide=` a classroom link; see src/app/share/ and src/app/classroom.ts).
import LZString from 'lz-string';
import { mergeWithDefaults, nonDefaultValues, RUN_CONFIG_VERSION, type RunConfig } from './schema.ts';
import { decompressBounded, ShareTooLarge } from './share-decompress.ts';

export const SHARE_PARAM = 'run';
/** Longer payloads are refused before decompression (URLs this long are already impractical). */
export const MAX_SHARE_PAYLOAD = 64 * 1024;
/** Most characters of run config JSON a link may decompress to (real configs are a few KB; custom code <= 10,000). */
export const MAX_SHARE_JSON = 2 * 1024 * 1024;

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

/** The hash params of a URL (or of a bare hash, with or without its '#'). */
export function hashParams(url: string): URLSearchParams {
  return new URLSearchParams(url.includes('#') ? url.slice(url.indexOf('#') + 1) : url);
}

/**
 * Why data with this `version` cannot be read by this build, in words a person can act on, or null when it
 * can. A link from a newer build is the usual case (someone shared from an updated page).
 */
export function versionProblem(version: unknown, what = 'share link', current = RUN_CONFIG_VERSION): string | null {
  if (version === current) return null;
  if (typeof version !== 'number' || !Number.isInteger(version)) return `${what} has no valid format version, so it was not made by GRPO Playground`;
  const which = version > current ? 'a newer version of GRPO Playground (reload or update the page)' : 'an older version of GRPO Playground';
  return `${what} made by ${which}: it uses format version ${version}, this page reads version ${current}`;
}

/** Parse a share URL (or just its hash). */
export function decodeShareUrl(url: string): RunConfig {
  const payload = hashParams(url).get(SHARE_PARAM);
  if (payload === null) throw new ShareUrlError(`not a GRPO Playground share link: the URL has no #${SHARE_PARAM}=... part`);
  if (payload === '') throw new ShareUrlError(`share link is empty: its #${SHARE_PARAM}= part holds no run data`);
  if (payload.length > MAX_SHARE_PAYLOAD) {
    throw new ShareUrlError(`share link too long (${payload.length} characters, the limit is ${MAX_SHARE_PAYLOAD})`);
  }
  let json: string | null;
  try {
    json = decompressBounded(payload, MAX_SHARE_JSON);
  } catch (e) {
    if (e instanceof ShareTooLarge) throw new ShareUrlError(`share link refused: its run data ${e.message} (a run config is far smaller)`);
    json = null;
  }
  if (!json) throw new ShareUrlError('share link is corrupted: its run data could not be decompressed');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ShareUrlError('share link is corrupted: its run data is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ShareUrlError('share link is corrupted: its run data is not a run config object');
  }
  // Checked before the schema: a newer format deserves "update the page", not a list of unknown fields.
  const problem = versionProblem((raw as { version?: unknown }).version);
  if (problem) throw new ShareUrlError(problem);
  try {
    return mergeWithDefaults(raw);
  } catch (e) {
    throw new ShareUrlError(`share link holds an invalid run config: ${(e as Error).message}`);
  }
}
