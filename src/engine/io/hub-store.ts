// Where downloaded Hub files are kept: one small interface with a Hugging Face cache-layout implementation on
// disk (hf-cache-node.ts, the CLI), a Cache API one in the browser (src/worker/hub-cache-browser.ts) and an
// in-memory one (tests). Contract: write() is only called with complete, verified bytes; read() returns the bytes
// with what is known about them (size, hash) so the caller can check them again before trusting them.
import type { ExpectedFile } from './hub-verify.ts';

export interface StoredHubFile {
  bytes: Uint8Array;
  /** What the file was checked against when it was stored (or the blob name says, for Python's downloads). */
  expected: ExpectedFile;
}

export interface HubFileStore {
  describe: string;
  /** The commit `revision` resolved to when the repo was last seen online (HF's refs/REV), or null. */
  readRef(repo: string, revision: string): Promise<string | null>;
  writeRef(repo: string, revision: string, commit: string): Promise<void>;
  /** The names of the files held for this snapshot (relative paths). */
  list(repo: string, commit: string): Promise<string[]>;
  read(repo: string, commit: string, path: string): Promise<StoredHubFile | null>;
  write(repo: string, commit: string, path: string, bytes: Uint8Array, expected: ExpectedFile): Promise<void>;
  remove(repo: string, commit: string, path: string): Promise<void>;
}

/** A store in memory (tests; a browser without Cache API). */
export function memoryHubStore(describe = 'memory'): HubFileStore & { files: Map<string, StoredHubFile> } {
  const files = new Map<string, StoredHubFile>();
  const refs = new Map<string, string>();
  const key = (repo: string, commit: string, path: string) => `${repo}\n${commit}\n${path}`;
  return {
    describe,
    files,
    readRef: async (repo, revision) => refs.get(`${repo}@${revision}`) ?? null,
    writeRef: async (repo, revision, commit) => void refs.set(`${repo}@${revision}`, commit),
    list: async (repo, commit) => [...files.keys()].filter((k) => k.startsWith(`${repo}\n${commit}\n`)).map((k) => k.split('\n')[2]),
    read: async (repo, commit, path) => files.get(key(repo, commit, path)) ?? null,
    write: async (repo, commit, path, bytes, expected) => void files.set(key(repo, commit, path), { bytes, expected: { ...expected, size: bytes.length } }),
    remove: async (repo, commit, path) => void files.delete(key(repo, commit, path)),
  };
}

/** A view of `store` that reads (and drops corrupt entries) but never adds: inspecting a model caches nothing. */
export function readOnlyStore(store: HubFileStore): HubFileStore {
  return {
    describe: store.describe,
    readRef: (repo, revision) => store.readRef(repo, revision),
    writeRef: async () => undefined,
    list: (repo, commit) => store.list(repo, commit),
    read: (repo, commit, path) => store.read(repo, commit, path),
    write: async () => undefined,
    remove: (repo, commit, path) => store.remove(repo, commit, path),
  };
}
