// A Hub model before and while it is downloaded: inspect() reads only config.json and the safetensors header(s)
// (with Range requests where the server allows them) to give the parameter count, the download size, the stored
// dtype and the engine's verdict on the config; downloadHubModel() fetches every file the loader reads into the
// verified store, with one progress figure over all files and Cancel through an AbortSignal; a download that
// fails or is cancelled removes the files it added, so the store is left as it was.
import { ConfigError, parseModelConfig, type ModelConfig } from '../config.ts';
import { buildParamLayout } from '../params.ts';
import { HubError, type HubFileInfo } from './hub-client.ts';
import type { HubRepoRef } from './hub-id.ts';
import { readOnlyStore } from './hub-store.ts';
import { hubSource, isSnapshotComplete, resolveSnapshot, type HubSourceOptions } from './hub-source.ts';
import type { TransferProgress } from './rate-meter.ts';
import { RateMeter } from './rate-meter.ts';

const SINGLE = 'model.safetensors';
const INDEX = 'model.safetensors.index.json';
/** Files the loader reads besides the weights, when the repo has them. */
const SMALL_FILES = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'chat_template.jinja'];
/** A safetensors header larger than this is refused (real ones are well under 1 MB; the format caps them at 100 MB). */
const MAX_HEADER = 100_000_000;

export interface HubModelInspection {
  repo: string;
  revision: string;
  commit: string;
  /** Parsed config, or null with `refusal` saying why the engine cannot run it. */
  config: ModelConfig | null;
  refusal: string | null;
  params: number | null;
  /** Bytes of every file a download fetches (weights + tokenizer + configs); null when the server names no sizes. */
  downloadBytes: number | null;
  weightFiles: string[];
  /** e.g. "BF16" or "F32, BF16" from the safetensors header; null when it could not be read before downloading. */
  dtypes: string | null;
  /** How the header was read: with a Range request, or why not. */
  headerNote: string;
  /** Every file the loader needs is already in the store. */
  cached: boolean;
  online: boolean;
}

/** The files to fetch for a listing (weights: single file, or index + the shards it names). */
async function filesToFetch(listing: HubFileInfo[] | null, readIndex: () => Promise<string>): Promise<{ weights: string[]; small: string[] }> {
  const names = listing ? new Set(listing.map((f) => f.path)) : null;
  const small = SMALL_FILES.filter((f) => !names || names.has(f));
  if (!names || names.has(SINGLE)) return { weights: [SINGLE], small };
  if (!names.has(INDEX)) {
    const torch = names.has('pytorch_model.bin') ? ' (pytorch_model.bin is not supported: the repo needs safetensors weights)' : '';
    throw new HubError(`the repo has no ${SINGLE} or ${INDEX}${torch}`);
  }
  let map: Record<string, string>;
  try {
    map = (JSON.parse(await readIndex()) as { weight_map: Record<string, string> }).weight_map;
  } catch {
    throw new HubError(`${INDEX} is not valid JSON with a weight_map`);
  }
  return { weights: [...new Set(Object.values(map ?? {}))].sort(), small: [...small, INDEX] };
}

/** Read a remote safetensors header with two Range requests; null when the server ignores Range. */
async function remoteHeaderDtypes(opts: HubSourceOptions, ref: HubRepoRef, file: string): Promise<string[] | null> {
  const head = await opts.client.readRange(ref, file, 0, 8, opts.signal);
  if (!head.ranged) return null;
  const view = new DataView(head.bytes.buffer, head.bytes.byteOffset, 8);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER) throw new HubError(`${file}: safetensors header of ${n} bytes is not plausible (a corrupt or non-safetensors file)`);
  const body = await opts.client.readRange(ref, file, 8, 8 + n, opts.signal);
  if (!body.ranged) return null;
  let header: Record<string, { dtype?: string }>;
  try {
    header = JSON.parse(new TextDecoder().decode(body.bytes));
  } catch {
    throw new HubError(`${file}: the safetensors header is not valid JSON (not a safetensors file?)`);
  }
  return [...new Set(Object.entries(header).filter(([k]) => k !== '__metadata__').map(([, v]) => String(v?.dtype)))].sort();
}

/** Inspect without adding to the store (config.json is read through it, but a fresh copy is not kept). */
export async function inspectHubModel(ref: HubRepoRef, storeOpts: HubSourceOptions): Promise<HubModelInspection> {
  const opts = { ...storeOpts, store: readOnlyStore(storeOpts.store) };
  const snap = await resolveSnapshot(ref, { ...opts, cacheFirst: false });
  const src = hubSource(ref, opts);
  const at: HubRepoRef = { repo: ref.repo, revision: snap.online && /^[0-9a-f]{40}$/.test(snap.commit) ? snap.commit : ref.revision };
  let config: ModelConfig | null = null;
  let refusal: string | null = null;
  try {
    config = parseModelConfig(JSON.parse(await src.readText('config.json')));
  } catch (e) {
    if (e instanceof ConfigError || e instanceof SyntaxError) refusal = `config.json: ${e.message}`;
    else throw e;
  }
  const { weights, small } = await filesToFetch(snap.files, () => src.readText(INDEX));
  let downloadBytes: number | null = null;
  if (snap.files) {
    const sizes = new Map(snap.files.map((f) => [f.path, f.size]));
    const all = [...small, ...weights].map((f) => sizes.get(f));
    downloadBytes = all.every((s) => s !== undefined) ? all.reduce((a, b) => a! + b!, 0)! : null;
  } else if (snap.online) {
    const heads = await Promise.all([...small, ...weights].map((f) => opts.client.head(at, f, opts.signal)));
    downloadBytes = heads.every((h) => h?.size !== undefined || h === null) ? heads.reduce((a, h) => a + (h?.size ?? 0), 0) : null;
  }
  let dtypes: string | null = null;
  let headerNote: string;
  if (!snap.online) headerNote = 'offline: the header was not read';
  else {
    const found = await remoteHeaderDtypes(opts, at, weights[0]);
    if (found) {
      dtypes = found.join(', ');
      headerNote = `read the ${weights[0]} header with a Range request (${weights.length} weight file${weights.length > 1 ? 's' : ''})`;
    } else headerNote = 'the server ignores Range requests, so the weights\' dtype is unknown until they download';
  }
  return {
    repo: ref.repo,
    revision: ref.revision,
    commit: snap.commit,
    config,
    refusal,
    params: config ? buildParamLayout(config).count : null,
    downloadBytes,
    weightFiles: weights,
    dtypes,
    headerNote,
    cached: await isSnapshotComplete(storeOpts.store, ref.repo, snap.commit),
    online: snap.online,
  };
}

/**
 * Fetch every file the loader reads into the store (files already there and verified are not fetched again).
 * `onProgress` gets the bytes over all files. Returns the commit stored.
 */
export async function downloadHubModel(ref: HubRepoRef, opts: HubSourceOptions): Promise<string> {
  const snap = await resolveSnapshot(ref, { ...opts, cacheFirst: false });
  if (!snap.online) throw new HubError(`the Hub cannot be reached to download ${ref.repo}`);
  const sizes = new Map((snap.files ?? []).map((f) => [f.path, f.size ?? 0]));
  const meter = new RateMeter();
  let done = 0;
  let current = 0;
  const before = new Set(await opts.store.list(ref.repo, snap.commit));
  try {
    const { weights, small } = await filesToFetch(snap.files, async () => {
      const src = hubSource(ref, { ...opts, onProgress: undefined });
      return src.readText(INDEX);
    });
    const files = [...small, ...weights];
    const total = snap.files ? files.reduce((a, f) => a + (sizes.get(f) ?? 0), 0) : undefined;
    const report = (file: string) => opts.onProgress?.(meter.progress(file, done + current, total) as TransferProgress);
    const src = hubSource(ref, {
      ...opts,
      onProgress: (p) => {
        current = p.loaded;
        report(p.file);
      },
    });
    for (const file of files) {
      opts.signal?.throwIfAborted();
      current = 0;
      if (snap.files === null && !(await src.has(file))) continue;
      const bytes = await src.readBytes(file, { signal: opts.signal });
      current = 0;
      done += bytes.length;
      report(file);
    }
  } catch (e) {
    // A failed or cancelled download leaves the store as it was: drop the files this call added.
    const added = (await opts.store.list(ref.repo, snap.commit)).filter((f) => !before.has(f));
    for (const f of added) await opts.store.remove(ref.repo, snap.commit, f).catch(() => undefined);
    throw e;
  }
  return snap.commit;
}
