// The Hugging Face cache on disk, laid out as huggingface_hub lays it out, so downloads are shared both ways
// with Python tools (Node only: the CLI and tests):
//   $HF_HOME/hub/models--ORG--NAME/blobs/<etag>              file contents, named by sha256 (LFS) or git sha1
//   $HF_HOME/hub/models--ORG--NAME/refs/<revision>           the commit hash the revision resolved to
//   $HF_HOME/hub/models--ORG--NAME/snapshots/<commit>/<path> symlink to ../../blobs/<etag>
// A blob is written to <etag>.incomplete and renamed only when complete, so an interrupted write never leaves
// a file that looks whole. HF_HUB_CACHE overrides the hub folder, as it does for huggingface_hub.
import { lstat, mkdir, readFile, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import type { HubFileStore, StoredHubFile } from './hub-store.ts';
import { hashFromEtag, sha256Hex, type ExpectedFile } from './hub-verify.ts';

/** The hub cache folder huggingface_hub uses: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hfHubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  const home = env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface');
  return join(home, 'hub');
}

export const repoFolderName = (repo: string) => `models--${repo.replace(/\//g, '--')}`;

/** Refuse paths that could leave the snapshot folder (the Hub never lists such names). */
function safePath(path: string): string {
  const parts = path.split('/');
  if (!path || path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\'))) {
    throw new Error(`refusing the file name "${path}" (not a relative path inside the repo)`);
  }
  return path;
}

export function hfCacheStore(cacheDir: string = hfHubCacheDir()): HubFileStore {
  const repoDir = (repo: string) => join(cacheDir, repoFolderName(repo));
  const snapshotPath = (repo: string, commit: string, path: string) => join(repoDir(repo), 'snapshots', safePath(commit), safePath(path));

  async function listFiles(dir: string, prefix = ''): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    const out: string[] = [];
    for (const e of entries) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), rel)));
      else out.push(rel);
    }
    return out;
  }

  return {
    describe: cacheDir,
    async readRef(repo, revision) {
      try {
        const text = (await readFile(join(repoDir(repo), 'refs', safePath(revision)), 'utf8')).trim();
        return /^[0-9a-f]{40}$/.test(text) ? text : null;
      } catch {
        return null;
      }
    },
    async writeRef(repo, revision, commit) {
      const path = join(repoDir(repo), 'refs', safePath(revision));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, commit);
    },
    async list(repo, commit) {
      return listFiles(join(repoDir(repo), 'snapshots', safePath(commit)));
    },
    async read(repo, commit, path): Promise<StoredHubFile | null> {
      const p = snapshotPath(repo, commit, path);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await readFile(p));
      } catch {
        return null; // missing, or a dangling symlink (its blob was deleted)
      }
      // Python's downloads and ours both name the blob by its etag: that is the hash to check against.
      let expected: ExpectedFile = { size: bytes.length };
      try {
        if ((await lstat(p)).isSymbolicLink()) expected = { ...hashFromEtag(basename(await readlink(p))) };
      } catch {
        // not a symlink (a Windows-style copy): trust the size only
      }
      return { bytes, expected };
    },
    async write(repo, commit, path, bytes, expected) {
      const etag = expected.sha256 ?? expected.gitSha1 ?? (await sha256Hex(bytes));
      const blob = join(repoDir(repo), 'blobs', etag);
      await mkdir(dirname(blob), { recursive: true });
      // Always (re)write: an existing blob of this name may be the corrupt copy being replaced. The rename is atomic.
      const part = `${blob}.incomplete`;
      await writeFile(part, bytes);
      await rename(part, blob);
      const link = snapshotPath(repo, commit, path);
      await mkdir(dirname(link), { recursive: true });
      await rm(link, { force: true });
      await symlink(relative(dirname(link), blob), link);
    },
    async remove(repo, commit, path) {
      // Only the snapshot's link: its blob may be shared by other snapshots, and a corrupt one is replaced on write.
      await rm(snapshotPath(repo, commit, path), { force: true });
    },
  };
}
