// Downloaded Hub files in the browser, in the Cache API (one cache, "grpo-hub-v1"), usable from the page and
// from workers. Why the Cache API and not OPFS: cache.put() stores a whole Response atomically (an entry exists
// only once its body is completely written), which is exactly the "complete or absent" rule a verified cache
// needs; OPFS would let a crash leave a half-written file under the final name. Entries are keyed by synthetic
// URLs https://hub-cache.invalid/<repo>/<commit>/<path> and carry their checked size and hash as headers.
import type { HubFileStore, StoredHubFile } from '../engine/io/hub-store.ts';
import type { ExpectedFile } from '../engine/io/hub-verify.ts';

export const HUB_CACHE_NAME = 'grpo-hub-v1';
const ORIGIN = 'https://hub-cache.invalid';

const fileUrl = (repo: string, commit: string, path: string) =>
  `${ORIGIN}/files/${repo}/${encodeURIComponent(commit)}/${path.split('/').map(encodeURIComponent).join('/')}`;
const refUrl = (repo: string, revision: string) => `${ORIGIN}/refs/${repo}/${encodeURIComponent(revision)}`;

/** Thrown for a full storage quota, with what the user can delete. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
}

export interface CachedModelSummary {
  repo: string;
  commit: string;
  /** Revisions (e.g. "main") that last resolved to this commit. */
  revisions: string[];
  files: number;
  bytes: number;
  /** Holds config, tokenizer and weights (a download in progress or rolled back does not). */
  complete: boolean;
}

const isQuotaError = (e: unknown) => e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);

export function browserHubStore(): HubFileStore {
  const open = () => caches.open(HUB_CACHE_NAME);
  return {
    describe: 'this browser\'s model cache',
    async readRef(repo, revision) {
      const res = await (await open()).match(refUrl(repo, revision));
      return res ? (await res.text()).trim() || null : null;
    },
    async writeRef(repo, revision, commit) {
      await (await open()).put(refUrl(repo, revision), new Response(commit, { headers: { 'Content-Type': 'text/plain' } }));
    },
    async list(repo, commit) {
      const prefix = `${ORIGIN}/files/${repo}/${encodeURIComponent(commit)}/`;
      const keys = await (await open()).keys();
      return keys.filter((k) => k.url.startsWith(prefix)).map((k) => k.url.slice(prefix.length).split('/').map(decodeURIComponent).join('/'));
    },
    async read(repo, commit, path): Promise<StoredHubFile | null> {
      const res = await (await open()).match(fileUrl(repo, commit, path));
      if (!res) return null;
      const expected: ExpectedFile = {};
      const size = res.headers.get('X-Size');
      if (size !== null && /^\d+$/.test(size)) expected.size = Number(size);
      const sha = res.headers.get('X-Sha256');
      if (sha) expected.sha256 = sha;
      const git = res.headers.get('X-Git-Sha1');
      if (git) expected.gitSha1 = git;
      try {
        return { bytes: new Uint8Array(await res.arrayBuffer()), expected };
      } catch {
        return null; // an entry whose body can no longer be read counts as missing
      }
    },
    async write(repo, commit, path, bytes, expected) {
      const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', 'X-Size': String(bytes.length), 'X-Stored-At': new Date().toISOString() };
      if (expected.sha256) headers['X-Sha256'] = expected.sha256;
      if (expected.gitSha1) headers['X-Git-Sha1'] = expected.gitSha1;
      try {
        await (await open()).put(fileUrl(repo, commit, path), new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
      } catch (e) {
        if (isQuotaError(e)) throw new StorageFullError(await quotaMessage(path, bytes.length), { cause: e });
        throw new Error(`The browser could not save ${path} (${mb(bytes.length)}) in its model cache: ${(e as Error).message} Nothing was saved.`, { cause: e });
      }
    },
    async remove(repo, commit, path) {
      await (await open()).delete(fileUrl(repo, commit, path));
    },
  };
}

const mb = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/** One message for a full quota: the file, this site's usage and quota, and the cached models one could delete. */
async function quotaMessage(path: string, bytes: number): Promise<string> {
  // Only whole models are worth deleting (the partial one being saved is rolled back by its download).
  const models = (await listCachedModels().catch(() => [])).filter((m) => m.complete);
  const est = await navigator.storage?.estimate?.().catch(() => undefined);
  const usage = est?.usage !== undefined && est.quota !== undefined ? ` (this site uses ${mb(est.usage)} of ${mb(est.quota)})` : '';
  const del = models.length
    ? `Delete a cached model to make room: ${models.map((m) => `${m.repo} (${mb(m.bytes)})`).join(', ')}.`
    : 'Free disk space or allow this site more storage, then try again.';
  return `Not enough browser storage to save ${path} (${mb(bytes)})${usage}. Nothing was saved. ${del}`;
}

/** Every cached snapshot with its file count and bytes (from the stored sizes; no bodies are read). */
export async function listCachedModels(): Promise<CachedModelSummary[]> {
  const cache = await caches.open(HUB_CACHE_NAME);
  const byKey = new Map<string, CachedModelSummary & { names: Set<string> }>();
  const refs: [string, string, string][] = [];
  for (const req of await cache.keys()) {
    const rest = req.url.slice(ORIGIN.length + 1);
    if (rest.startsWith('refs/')) {
      const [, org, name, rev] = rest.split('/');
      const res = await cache.match(req);
      refs.push([`${org}/${name}`, decodeURIComponent(rev), ((await res?.text()) ?? '').trim()]);
      continue;
    }
    const [, org, name, commitEnc] = rest.split('/');
    const repo = `${org}/${name}`;
    const commit = decodeURIComponent(commitEnc);
    const key = `${repo}@${commit}`;
    const entry = byKey.get(key) ?? { repo, commit, revisions: [], files: 0, bytes: 0, complete: false, names: new Set<string>() };
    const res = await cache.match(req);
    entry.names.add(decodeURIComponent(rest.split('/').slice(4).join('/')));
    entry.files++;
    entry.bytes += Number(res?.headers.get('X-Size') ?? 0);
    byKey.set(key, entry);
  }
  for (const [repo, rev, commit] of refs) byKey.get(`${repo}@${commit}`)?.revisions.push(rev);
  return [...byKey.values()]
    .map(({ names, ...m }) => ({
      ...m,
      complete: ['config.json', 'tokenizer.json', 'tokenizer_config.json'].every((f) => names.has(f)) && [...names].some((f) => f.endsWith('.safetensors')),
    }))
    .sort((a, b) => a.repo.localeCompare(b.repo));
}

/** Delete a cached snapshot (or every snapshot of a repo) and the refs pointing at it. */
export async function deleteCachedModel(repo: string, commit?: string): Promise<void> {
  const cache = await caches.open(HUB_CACHE_NAME);
  for (const req of await cache.keys()) {
    const rest = req.url.slice(ORIGIN.length + 1);
    const parts = rest.split('/');
    if (`${parts[1]}/${parts[2]}` !== repo) continue;
    if (parts[0] === 'files' && (!commit || decodeURIComponent(parts[3]) === commit)) await cache.delete(req);
    if (parts[0] === 'refs') {
      const res = await cache.match(req);
      if (!commit || ((await res?.text()) ?? '').trim() === commit) await cache.delete(req);
    }
  }
}
