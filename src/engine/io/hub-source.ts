// A model folder on the Hub as a FileSource, through a verified cache: every file is taken from the store when
// it is there and still checks (size, hash), else downloaded, verified and only then stored. A cached file
// that fails its check is dropped and fetched again. With `cacheFirst` (the default) a revision already in the
// store loads without touching the network, so cached models load offline; a store miss goes online.
import { checkFolderFileName, FileSourceError, type FileSource, type ReadOptions } from './sources.ts';
import { HubClient, HubError, type HubFileInfo } from './hub-client.ts';
import { isCommitHash, type HubRepoRef } from './hub-id.ts';
import type { HubFileStore } from './hub-store.ts';
import { verifyProblem, type ExpectedFile } from './hub-verify.ts';
import type { TransferProgress } from './rate-meter.ts';

export interface HubSourceOptions {
  client: HubClient;
  store: HubFileStore;
  /** Use a snapshot already in the store without asking the Hub (default true). */
  cacheFirst?: boolean;
  onProgress?: (p: TransferProgress) => void;
  /** Notes worth showing: "dropped a corrupt cached file", "offline: using the cached snapshot". */
  onNote?: (message: string) => void;
  signal?: AbortSignal;
}

interface Snapshot {
  commit: string;
  /** Listing from the Hub (null: offline, or a server without the listing API). */
  files: HubFileInfo[] | null;
  online: boolean;
}

/** Whether the store holds every file the model loader reads for this snapshot (weights: single file or all shards). */
export async function isSnapshotComplete(store: HubFileStore, repo: string, commit: string): Promise<boolean> {
  const have = new Set(await store.list(repo, commit));
  if (!['config.json', 'tokenizer.json', 'tokenizer_config.json'].every((f) => have.has(f))) return false;
  if (have.has('model.safetensors')) return true;
  const index = have.has('model.safetensors.index.json') ? await store.read(repo, commit, 'model.safetensors.index.json') : null;
  if (!index) return false;
  try {
    const map = (JSON.parse(new TextDecoder().decode(index.bytes)) as { weight_map?: Record<string, string> }).weight_map ?? {};
    const shards = new Set(Object.values(map));
    return shards.size > 0 && [...shards].every((f) => have.has(f));
  } catch {
    return false;
  }
}

/** The snapshot a revision names: from the store (cache-first or offline) or the Hub. */
export async function resolveSnapshot(ref: HubRepoRef, opts: HubSourceOptions): Promise<Snapshot> {
  const { client, store } = opts;
  const cachedCommit = isCommitHash(ref.revision) ? ref.revision : await store.readRef(ref.repo, ref.revision);
  const cachedComplete = cachedCommit !== null && (await isSnapshotComplete(store, ref.repo, cachedCommit));
  if (opts.cacheFirst !== false && cachedComplete) return { commit: cachedCommit, files: null, online: false };
  let info;
  try {
    info = await client.repoInfo(ref, opts.signal);
  } catch (e) {
    if (e instanceof HubError && e.status === undefined && cachedComplete) {
      opts.onNote?.(`offline (${e.message}); using the cached snapshot ${cachedCommit.slice(0, 8)}`);
      return { commit: cachedCommit, files: null, online: false };
    }
    throw e;
  }
  let commit = info.commit;
  if (!commit) commit = (await client.head(ref, 'config.json', opts.signal))?.commit ?? null;
  commit ??= ref.revision; // a plain mirror that names no commit: key the snapshot by the revision itself
  if (commit !== ref.revision) await store.writeRef(ref.repo, ref.revision, commit);
  return { commit, files: info.files, online: true };
}

export function hubSource(ref: HubRepoRef, opts: HubSourceOptions): FileSource & { snapshot: () => Promise<Snapshot> } {
  const { client, store } = opts;
  let snap: Promise<Snapshot> | null = null;
  const snapshot = () => (snap ??= resolveSnapshot(ref, opts));
  const pinned: HubRepoRef = { repo: ref.repo, revision: ref.revision };
  const describe = `${client.endpoint}/${ref.repo}@${ref.revision}`;

  async function expectedOf(s: Snapshot, name: string): Promise<ExpectedFile | null> {
    if (!s.online) return null;
    if (s.files) return s.files.find((f) => f.path === name) ?? null;
    return client.head({ ...pinned, revision: s.commit === ref.revision ? ref.revision : s.commit }, name, opts.signal);
  }

  async function readBytes(name: string, readOpts: ReadOptions = {}): Promise<Uint8Array> {
    checkFolderFileName(name, describe);
    const s = await snapshot();
    const cached = await store.read(ref.repo, s.commit, name);
    const listed = await expectedOf(s, name);
    if (cached) {
      const problem = await verifyProblem(name, cached.bytes, listed ?? cached.expected);
      if (!problem) {
        readOpts.onProgress?.(cached.bytes.length, cached.bytes.length);
        return cached.bytes;
      }
      await store.remove(ref.repo, s.commit, name);
      opts.onNote?.(`dropped a corrupt cached file (${problem}); fetching it again`);
    }
    if (!s.online) {
      // The snapshot came from the store; go online for this one file (or say we cannot).
      snap = resolveSnapshot(ref, { ...opts, cacheFirst: false });
      const fresh = await snap;
      if (!fresh.online) throw new FileSourceError(`${name} of ${ref.repo} is not in the cache and the Hub cannot be reached`);
      return readBytes(name, readOpts);
    }
    if (!listed) throw new FileSourceError(`${name} not found in ${describe}`);
    const at: HubRepoRef = { repo: ref.repo, revision: isCommitHash(s.commit) ? s.commit : ref.revision };
    const bytes = await client.download(at, name, listed, {
      signal: readOpts.signal ?? opts.signal,
      onProgress: (p) => {
        opts.onProgress?.(p);
        readOpts.onProgress?.(p.loaded, p.total);
      },
    });
    await store.write(ref.repo, s.commit, name, bytes, listed);
    return bytes;
  }

  return {
    describe,
    snapshot,
    readBytes,
    async readText(name) {
      return new TextDecoder().decode(await readBytes(name));
    },
    async has(name) {
      checkFolderFileName(name, describe);
      const s = await snapshot();
      if ((await store.list(ref.repo, s.commit)).includes(name)) return true;
      // A cache-first snapshot is complete (isSnapshotComplete): optional files it lacks were not on the Hub either.
      if (!s.online) return false;
      return (await expectedOf(s, name)) !== null;
    },
  };
}
