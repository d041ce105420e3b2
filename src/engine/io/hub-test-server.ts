// A Hugging Face Hub look-alike on 127.0.0.1 for tests (Node only; never bundled): the repo API with sizes and
// hashes, resolve URLs that redirect LFS files to a "CDN" path with X-Linked-Size / X-Linked-Etag / X-Repo-Commit,
// Range requests, CORS for the browser, tokens for gated repos, and the failures real servers produce
// (404, a mid-file disconnect, a wrong length, an HTML error page, Range ignored, a slow link).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HubFault =
  /** Send half the body, then drop the connection (the next request for the file succeeds). */
  | 'disconnect-once'
  /** Drop every response for the file halfway. */
  | 'disconnect-always'
  /** Serve a body shorter than the size the API and X-Linked-Size announce, with a matching Content-Length. */
  | 'wrong-length'
  /** Answer 200 with an HTML error page. */
  | 'html'
  /** Ignore Range headers (answer 200 with the whole file). */
  | 'no-range'
  /** 500 Internal Server Error. */
  | 'error';

export interface HubTestRepo {
  repo: string; // ORG/NAME
  commit?: string; // 40 hex; derived from the files when absent
  files: Map<string, Uint8Array | string>;
  /** When set, every request for this repo needs `Authorization: Bearer <token>`. */
  token?: string;
}

export interface HubRequestLog {
  method: string;
  path: string;
  range?: string;
  status: number;
}

export interface HubTestServer {
  endpoint: string;
  requests: HubRequestLog[];
  /** Make requests for `repo`'s `file` fail in the given way (null clears it). */
  setFault(repo: string, file: string, fault: HubFault | null): void;
  /** Throttle all file bodies to about this many bytes per second (null: full speed). */
  setRate(bytesPerSecond: number | null): void;
  /** How many GETs asked for this file's bytes from the start or as a resume (header probes not counted). */
  downloads(file: string): number;
  close(): Promise<void>;
}

const LFS = (file: string) => /\.(safetensors|bin|gguf)$/.test(file);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Uint8Array) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

interface StoredFile {
  bytes: Uint8Array;
  sha256: string;
  gitSha1: string;
  lfs: boolean;
}

const EXPOSE = 'X-Repo-Commit, X-Linked-Size, X-Linked-Etag, ETag, Content-Range, Content-Length, Accept-Ranges, X-Error-Code, X-Error-Message';

export async function startHubServer(repos: HubTestRepo[]): Promise<HubTestServer> {
  const stored = new Map<string, { repo: HubTestRepo; commit: string; files: Map<string, StoredFile> }>();
  const bySha = new Map<string, { file: string; repo: string; data: StoredFile }>(); // key: repo + '/' + sha256
  for (const r of repos) {
    const files = new Map<string, StoredFile>();
    const h = createHash('sha1');
    for (const [name, content] of [...r.files].sort(([a], [b]) => a.localeCompare(b))) {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const f = { bytes, sha256: sha256(bytes), gitSha1: gitSha1(bytes), lfs: LFS(name) };
      files.set(name, f);
      bySha.set(`${r.repo}/${f.sha256}`, { file: name, repo: r.repo, data: f });
      h.update(name).update(f.sha256);
    }
    stored.set(r.repo, { repo: r, commit: r.commit ?? h.digest('hex'), files });
  }
  const faults = new Map<string, HubFault>();
  const requests: HubRequestLog[] = [];
  let rate: number | null = null;
  const bodyGets = new Map<string, number>(); // file -> GETs for the whole file or a resume (bytes=N-), not probes

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(url.pathname);
    const log: HubRequestLog = { method: req.method ?? 'GET', path, range: req.headers.range, status: 0 };
    requests.push(log);
    res.on('finish', () => (log.status = res.statusCode));
    res.on('close', () => (log.status ||= res.statusCode));
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', EXPOSE);
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Headers': 'Range, Authorization', 'Access-Control-Allow-Methods': 'GET, HEAD' });
      return void res.end();
    }
    const refuse = (status: number, code?: string, message?: string) => {
      if (code) res.setHeader('X-Error-Code', code);
      if (message) res.setHeader('X-Error-Message', message);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: message ?? code ?? String(status) }));
    };
    const authorised = (r: HubTestRepo) => !r.token || req.headers.authorization === `Bearer ${r.token}`;

    let m = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/(.+)$/.exec(path);
    if (m) {
      const entry = stored.get(m[1]);
      if (!entry) return refuse(401, 'RepoNotFound', 'Repository not found');
      if (!authorised(entry.repo)) return refuse(401, undefined, 'Invalid credentials');
      if (m[2] !== 'main' && m[2] !== entry.commit) return refuse(404, 'RevisionNotFound', 'Invalid rev id');
      const siblings = [...entry.files].map(([name, f]) => ({
        rfilename: name,
        size: f.bytes.length,
        blobId: f.gitSha1,
        ...(f.lfs ? { lfs: { sha256: f.sha256, size: f.bytes.length, pointerSize: 134 } } : {}),
      }));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return void res.end(JSON.stringify({ id: entry.repo.repo, sha: entry.commit, siblings }));
    }

    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
    if (m) {
      const entry = stored.get(m[1]);
      if (!entry) return refuse(401, 'RepoNotFound', 'Repository not found');
      if (!authorised(entry.repo)) return refuse(401, undefined, 'Invalid credentials');
      if (m[2] !== 'main' && m[2] !== entry.commit) return refuse(404, 'RevisionNotFound', 'Invalid rev id');
      const f = entry.files.get(m[3]);
      if (!f) return refuse(404, 'EntryNotFound', `${m[3]} does not exist`);
      res.setHeader('X-Repo-Commit', entry.commit);
      if (f.lfs) {
        // The Hub answers LFS files with a redirect to its CDN; the sizes and hashes ride on the redirect.
        res.writeHead(302, {
          Location: `/cdn/${m[1]}/${f.sha256}?file=${encodeURIComponent(m[3])}`,
          'X-Linked-Size': String(f.bytes.length),
          'X-Linked-Etag': `"${f.sha256}"`,
          ETag: `"${f.gitSha1}"`,
        });
        return void res.end();
      }
      return serveBytes(req, res, m[1], m[3], f, `"${f.gitSha1}"`);
    }

    m = /^\/cdn\/([^/]+\/[^/]+\/[0-9a-f]{64})$/.exec(path);
    if (m && bySha.has(m[1])) {
      const { file, repo, data } = bySha.get(m[1])!;
      return serveBytes(req, res, repo, file, data, `"${data.sha256}"`);
    }
    refuse(404, undefined, 'not found');
  }

  async function serveBytes(req: IncomingMessage, res: ServerResponse, repo: string, file: string, f: StoredFile, etag: string) {
    const fault = faults.get(`${repo}/${file}`);
    if (fault === 'html' && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      return void res.end('<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    if (fault === 'error' && req.method === 'GET') {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      return void res.end('Internal Server Error');
    }
    let bytes = f.bytes;
    if (fault === 'wrong-length') bytes = bytes.subarray(0, bytes.length - 7);
    let start = 0;
    let end = bytes.length; // exclusive
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const ranged = range !== null && fault !== 'no-range';
    if (ranged) {
      start = Number(range[1]);
      end = range[2] ? Math.min(bytes.length, Number(range[2]) + 1) : bytes.length;
      if (start >= bytes.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` });
        return void res.end();
      }
    }
    const headers: Record<string, string> = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(end - start),
      'Accept-Ranges': 'bytes',
      ETag: etag,
    };
    if (ranged) headers['Content-Range'] = `bytes ${start}-${end - 1}/${bytes.length}`;
    res.writeHead(ranged ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    if (!req.headers.range || /^bytes=\d+-$/.test(req.headers.range)) bodyGets.set(file, (bodyGets.get(file) ?? 0) + 1);
    const body = bytes.subarray(start, end);
    const cut = fault === 'disconnect-once' || fault === 'disconnect-always' ? Math.floor(body.length / 2) : body.length;
    if (fault === 'disconnect-once') faults.delete(`${repo}/${file}`);
    const chunk = 64 * 1024;
    for (let pos = 0; pos < cut; pos += chunk) {
      const piece = body.subarray(pos, Math.min(cut, pos + chunk));
      if (!res.write(piece)) await new Promise((r) => res.once('drain', r));
      if (rate !== null) await new Promise((r) => setTimeout(r, (1000 * piece.length) / rate!));
      if (res.destroyed) return;
    }
    if (cut < body.length) {
      await new Promise((r) => setTimeout(r, 20)); // let the first half reach the client
      return void res.destroy();
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    setFault(repo, file, fault) {
      if (fault) faults.set(`${repo}/${file}`, fault);
      else faults.delete(`${repo}/${file}`);
    },
    setRate(r) {
      rate = r;
    },
    downloads: (file) => bodyGets.get(file) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
