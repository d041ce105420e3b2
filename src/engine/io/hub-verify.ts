// Checks a downloaded Hub file before it may enter a cache: its exact size, and its hash where the Hub names
// one (LFS files: sha256 of the content; other files: the git blob id, sha1 of "blob <size>\0<content>").
// Web Crypto only, so the same code runs in the browser, the worker and Node.

export interface ExpectedFile {
  size?: number;
  sha256?: string;
  gitSha1?: string;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export async function gitBlobSha1Hex(bytes: Uint8Array): Promise<string> {
  const head = new TextEncoder().encode(`blob ${bytes.length}\0`);
  const all = new Uint8Array(head.length + bytes.length);
  all.set(head);
  all.set(bytes, head.length);
  return hex(await crypto.subtle.digest('SHA-1', all));
}

/** Null when `bytes` is the file described, else one sentence saying what is wrong. */
export async function verifyProblem(file: string, bytes: Uint8Array, expected: ExpectedFile): Promise<string | null> {
  if (expected.size !== undefined && bytes.length !== expected.size) {
    return `${file} is ${bytes.length} bytes but the Hub lists ${expected.size}`;
  }
  if (expected.sha256) {
    const got = await sha256Hex(bytes);
    if (got !== expected.sha256) return `${file} has sha256 ${got.slice(0, 12)}… but the Hub lists ${expected.sha256.slice(0, 12)}…`;
  } else if (expected.gitSha1) {
    const got = await gitBlobSha1Hex(bytes);
    if (got !== expected.gitSha1) return `${file} has git blob id ${got.slice(0, 12)}… but the Hub lists ${expected.gitSha1.slice(0, 12)}…`;
  }
  return null;
}

/** An ETag header as a hash: 64 hex = sha256 (LFS), 40 hex = git blob sha1; anything else (a CDN's tag) names nothing. */
export function hashFromEtag(etag: string | null | undefined): Pick<ExpectedFile, 'sha256' | 'gitSha1'> {
  if (!etag) return {};
  const v = etag.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(v)) return { sha256: v };
  if (/^[0-9a-f]{40}$/.test(v)) return { gitSha1: v };
  return {};
}
