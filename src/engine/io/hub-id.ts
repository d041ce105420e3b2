// Hugging Face Hub model ids as the run config writes them: `hf:ORG/NAME[@REVISION]` (revision defaults to
// "main"), and the resolve URL `{endpoint}/{ORG}/{NAME}/resolve/{revision}/{file}` that serves a repo's files.
// Pure string work, browser- and Node-safe.

export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

export interface HubRepoRef {
  /** "ORG/NAME" */
  repo: string;
  /** branch, tag or 40-hex commit; "main" by default */
  revision: string;
}

// The Hub's own rule for names: letters, digits, '-', '_', '.'; no leading/trailing '-' or '.', no '--' or '..'.
const NAME = /^(?![-.])(?!.*(--|\.\.))[A-Za-z0-9._-]{1,96}(?<![-.])$/;
// Branches, tags and PR refs ("refs/pr/1"); no '..', no leading '/'.
const REVISION = /^(?!.*\.\.)(?!\/)[A-Za-z0-9._/-]{1,200}$/;

/** Why `text` is not a Hub model id, or null when it is one. Accepts "hf:ORG/NAME[@REV]" and, bare, "ORG/NAME[@REV]". */
export function hubIdProblem(text: string): string | null {
  const body = text.startsWith('hf:') ? text.slice(3) : text;
  const [repo, revision, extra] = body.split('@');
  if (extra !== undefined) return `"${text}" has more than one @`;
  const parts = repo.split('/');
  if (parts.length !== 2) return `"${repo}" is not ORG/NAME (a Hub repo id has exactly one /)`;
  for (const p of parts) {
    if (!NAME.test(p)) return `"${p}" is not a valid Hub name (letters, digits, - _ . ; no -- or ..)`;
  }
  if (revision !== undefined && !REVISION.test(revision)) return `"${revision}" is not a valid revision`;
  return null;
}

export function isHubModelId(id: string): boolean {
  return id.startsWith('hf:');
}

/** Parse `hf:ORG/NAME[@REV]` (or bare `ORG/NAME[@REV]`); throws one clear message. */
export function parseHubModelId(id: string): HubRepoRef {
  const problem = hubIdProblem(id);
  if (problem) throw new Error(problem);
  const [repo, revision] = (id.startsWith('hf:') ? id.slice(3) : id).split('@');
  return { repo, revision: revision ?? 'main' };
}

export function hubModelId(ref: HubRepoRef): string {
  return `hf:${ref.repo}${ref.revision === 'main' ? '' : `@${ref.revision}`}`;
}

/** `{endpoint}/{repo}/resolve/{revision}/{file}`; the revision is one path segment ("refs%2Fpr%2F1"), as huggingface_hub quotes it. */
export function resolveUrl(endpoint: string, ref: HubRepoRef, file: string): string {
  const base = endpoint.replace(/\/+$/, '');
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${base}/${ref.repo}/resolve/${encodeURIComponent(ref.revision)}/${path}`;
}

/** The Hub API's repo listing with per-file sizes and LFS hashes (huggingface_hub's model_info(files_metadata=True)). */
export function repoInfoUrl(endpoint: string, ref: HubRepoRef): string {
  const base = endpoint.replace(/\/+$/, '');
  return `${base}/api/models/${ref.repo}/revision/${encodeURIComponent(ref.revision)}?blobs=true`;
}

export const isCommitHash = (rev: string) => /^[0-9a-f]{40}$/.test(rev);
