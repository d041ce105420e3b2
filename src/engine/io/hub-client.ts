// A client for the Hugging Face Hub's file endpoints (or any mirror that speaks them, as HF_ENDPOINT selects for
// huggingface_hub): the repo listing with sizes and hashes, per-file metadata from a HEAD of the resolve URL,
// Range reads (to read a safetensors header before downloading), and verified downloads that resume with
// Range after a dropped connection. Every failure is one HubError sentence; nothing is cached here.
import { hashFromEtag, verifyProblem, type ExpectedFile } from './hub-verify.ts';
import { DEFAULT_HUB_ENDPOINT, repoInfoUrl, resolveUrl, type HubRepoRef } from './hub-id.ts';
import { RateMeter, type TransferProgress } from './rate-meter.ts';

export class HubError extends Error {
  override name = 'HubError';
  constructor(message: string, readonly status?: number, options?: ErrorOptions) {
    super(message, options);
  }
}

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface HubClientOptions {
  endpoint?: string;
  /** Bearer token for gated or private repos (never stored by this client). */
  token?: string;
  fetch?: FetchFn;
}

export interface HubFileInfo extends ExpectedFile {
  path: string;
}

export interface HubRepoInfo {
  /** The commit the revision points to, when the server says (API `sha` or the X-Repo-Commit header). */
  commit: string | null;
  /** Files with their sizes and hashes; null when only HEAD probing was possible (no listing API). */
  files: HubFileInfo[] | null;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (p: TransferProgress) => void;
  /** How many times a dropped connection is resumed (with Range) before giving up. */
  resumes?: number;
}

export class HubClient {
  readonly endpoint: string;
  private readonly token?: string;
  private readonly fetchFn: FetchFn;

  constructor(opts: HubClientOptions = {}) {
    this.endpoint = (opts.endpoint || DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
    this.token = opts.token || undefined;
    this.fetchFn = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  url(ref: HubRepoRef, file: string): string {
    return resolveUrl(this.endpoint, ref, file);
  }

  private async request(url: string, init: RequestInit = {}, what = url): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.token) headers.set('Authorization', `Bearer ${this.token}`);
    try {
      // no-store: the verified model cache is the only copy kept (the browser's HTTP cache would hold a second one).
      return await this.fetchFn(url, { cache: 'no-store', ...init, headers });
    } catch (e) {
      if (init.signal?.aborted) throw init.signal.reason ?? e;
      throw new HubError(`could not reach ${what}: ${(e as Error).message} (offline, or the endpoint ${this.endpoint} is wrong?)`, undefined, { cause: e });
    }
  }

  /** One sentence for a refused request, using the Hub's X-Error-Code / X-Error-Message where given. */
  private refusal(res: Response, ref: HubRepoRef, file?: string): HubError {
    const code = res.headers.get('x-error-code');
    const serverMsg = res.headers.get('x-error-message');
    const target = file ? `${file} in ${ref.repo}@${ref.revision}` : `${ref.repo}@${ref.revision}`;
    let msg: string;
    if (res.status === 401) {
      msg = this.token
        ? `${ref.repo}: the token was refused (401), or the repo does not exist`
        : `${ref.repo} needs a Hugging Face token (401: private or gated, or no such repo)`;
    } else if (res.status === 403) msg = `${ref.repo}: access denied (403${serverMsg ? `: ${serverMsg}` : ''}); gated repos need their conditions accepted on the Hub`;
    else if (res.status === 404) {
      msg =
        code === 'RepoNotFound' ? `no repo ${ref.repo} on ${this.endpoint}`
        : code === 'RevisionNotFound' ? `${ref.repo} has no revision "${ref.revision}"`
        : `${target} not found (404)`;
    } else msg = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${target}${serverMsg ? `: ${serverMsg}` : ''}`;
    return new HubError(msg, res.status);
  }

  /** The repo's commit and file list from the API; files null when the server has no listing API (plain mirrors). */
  async repoInfo(ref: HubRepoRef, signal?: AbortSignal): Promise<HubRepoInfo> {
    const res = await this.request(repoInfoUrl(this.endpoint, ref), { signal }, `${this.endpoint} (repo info of ${ref.repo})`);
    if (res.status === 401 || res.status === 403) throw this.refusal(res, ref);
    if (res.status === 404 && res.headers.get('x-error-code')) throw this.refusal(res, ref);
    if (!res.ok) {
      await res.body?.cancel();
      return { commit: null, files: null };
    }
    let body: { sha?: unknown; siblings?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      return { commit: null, files: null }; // e.g. a static mirror's HTML page
    }
    if (!Array.isArray(body.siblings)) return { commit: null, files: null };
    const files: HubFileInfo[] = [];
    for (const s of body.siblings as Record<string, unknown>[]) {
      if (typeof s?.rfilename !== 'string') continue;
      const lfs = s.lfs as { sha256?: unknown; size?: unknown } | undefined;
      const info: HubFileInfo = { path: s.rfilename };
      if (typeof lfs?.size === 'number') info.size = lfs.size;
      else if (typeof s.size === 'number') info.size = s.size;
      if (typeof lfs?.sha256 === 'string') info.sha256 = lfs.sha256.toLowerCase();
      else if (typeof s.blobId === 'string' && /^[0-9a-f]{40}$/.test(s.blobId)) info.gitSha1 = s.blobId;
      files.push(info);
    }
    return { commit: typeof body.sha === 'string' ? body.sha : null, files };
  }

  /**
   * Size, hash and commit of one file from a HEAD of its resolve URL; null when it does not exist. Where the
   * redirect can be seen (Node) the Hub's X-Linked-Size / X-Linked-Etag on it are read, as huggingface_hub does;
   * a browser sees only the final response (Content-Length, and an ETag when exposed).
   */
  async head(ref: HubRepoRef, file: string, signal?: AbortSignal): Promise<(HubFileInfo & { commit: string | null }) | null> {
    const url = this.url(ref, file);
    let res = await this.request(url, { method: 'HEAD', redirect: 'manual', signal });
    if (res.type === 'opaqueredirect' || res.status === 0) res = await this.request(url, { method: 'HEAD', signal });
    if (res.status === 404) return null;
    if (!(res.ok || (res.status >= 300 && res.status < 400))) throw this.refusal(res, ref, file);
    const type = res.headers.get('content-type') ?? '';
    // Single-page dev servers answer any path with index.html: that is not the file asked for.
    if (res.ok && type.includes('text/html') && !/\.html?$/.test(file)) return null;
    const h = res.headers;
    const sizeText = h.get('x-linked-size') ?? (res.ok && !h.get('content-encoding') ? h.get('content-length') : null);
    const info: HubFileInfo & { commit: string | null } = { path: file, commit: h.get('x-repo-commit') };
    if (sizeText !== null && /^\d+$/.test(sizeText)) info.size = Number(sizeText);
    Object.assign(info, hashFromEtag(h.get('x-linked-etag') ?? h.get('etag')));
    return info;
  }

  /**
   * Bytes [start, end) of a file with one Range request. `ranged` false means the server ignored Range (answered
   * 200): the body is then not read, and the caller must say that it could not look before downloading.
   */
  async readRange(ref: HubRepoRef, file: string, start: number, end: number, signal?: AbortSignal): Promise<{ ranged: true; bytes: Uint8Array; total?: number } | { ranged: false }> {
    const res = await this.request(this.url(ref, file), { headers: { Range: `bytes=${start}-${end - 1}` }, signal });
    if (res.status === 200) {
      await res.body?.cancel();
      return { ranged: false };
    }
    if (res.status !== 206) throw this.refusal(res, ref, file);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== start || bytes.length !== Number(range[2]) - start + 1) {
      throw new HubError(`${file}: the server answered the Range request for bytes ${start}-${end - 1} with other bytes`);
    }
    return { ranged: true, bytes, total: range[3] === '*' ? undefined : Number(range[3]) };
  }

  /**
   * Download a whole file and check it (size always, hash where known). A dropped connection is resumed with
   * Range from the last byte received; a server that ignores Range restarts the file. The bytes are returned only
   * when complete and verified, so a caller that caches the result can never cache a partial or wrong file.
   */
  async download(ref: HubRepoRef, file: string, expected: ExpectedFile = {}, opts: DownloadOptions = {}): Promise<Uint8Array> {
    const url = this.url(ref, file);
    const meter = new RateMeter();
    let size = expected.size;
    let out: Uint8Array | null = size !== undefined ? new Uint8Array(size) : null;
    let chunks: Uint8Array[] = []; // only when the size is not known in advance
    let loaded = 0;
    let resumesLeft = opts.resumes ?? 3;
    for (;;) {
      opts.signal?.throwIfAborted();
      const headers: Record<string, string> = loaded > 0 ? { Range: `bytes=${loaded}-` } : {};
      let res: Response;
      try {
        res = await this.request(url, { headers, signal: opts.signal }, url);
      } catch (e) {
        if (opts.signal?.aborted || !(e instanceof HubError) || resumesLeft-- <= 0 || loaded === 0) throw e;
        continue;
      }
      if (loaded > 0 && res.status === 200) {
        loaded = 0; // the server ignored Range: start over
        chunks = [];
        meter.reset();
      } else if (loaded > 0 && res.status !== 206) throw this.refusal(res, ref, file);
      else if (loaded === 0 && !res.ok) throw this.refusal(res, ref, file);
      if (res.status === 206 && !new RegExp(`^bytes ${loaded}-`).test(res.headers.get('content-range') ?? '')) {
        await res.body?.cancel();
        throw new HubError(`${file}: asked to resume at byte ${loaded}, the server sent ${res.headers.get('content-range') ?? 'no Content-Range'}`);
      }
      const type = res.headers.get('content-type') ?? '';
      if (type.includes('text/html') && !/\.html?$/.test(file)) {
        await res.body?.cancel();
        throw new HubError(`${url} answered with an HTML page, not the file (an error page or a dev server's fallback)`);
      }
      const lengthText = res.headers.get('content-length');
      const length = lengthText !== null && /^\d+$/.test(lengthText) && !res.headers.get('content-encoding') ? Number(lengthText) : undefined;
      if (res.status === 200 && length !== undefined) {
        if (size !== undefined && length !== size) {
          await res.body?.cancel();
          throw new HubError(`${file}: the server sends ${length} bytes but the Hub lists ${size}`);
        }
        if (size === undefined) {
          size = length;
          out = new Uint8Array(size);
        }
      }
      try {
        const st = { out, chunks, loaded, size, meter, onProgress: opts.onProgress };
        try {
          await this.readInto(res, file, st);
        } finally {
          loaded = st.loaded;
        }
        break;
      } catch (e) {
        if (opts.signal?.aborted) throw opts.signal.reason ?? e;
        if (e instanceof HubError && e.status === -1) throw e; // too many bytes: resuming cannot help
        if (resumesLeft-- <= 0) throw new HubError(`${file}: download failed after ${loaded} bytes: ${(e as Error).message}`, undefined, { cause: e });
        meter.reset();
      }
    }
    let bytes: Uint8Array;
    if (out) {
      if (loaded !== out.length) throw new HubError(`${file}: the connection closed after ${loaded} of ${out.length} bytes`);
      bytes = out;
    } else {
      bytes = new Uint8Array(loaded);
      let pos = 0;
      for (const c of chunks) {
        bytes.set(c, pos);
        pos += c.length;
      }
    }
    const problem = await verifyProblem(file, bytes, { ...expected, size });
    if (problem) throw new HubError(`download of ${problem}; nothing was cached`);
    return bytes;
  }

  /** Stream a body into `out` (or `chunks`) from offset `s.loaded`, advancing it as bytes land (also when it throws). */
  private async readInto(
    res: Response,
    file: string,
    s: { out: Uint8Array | null; chunks: Uint8Array[]; loaded: number; size?: number; meter: RateMeter; onProgress?: (p: TransferProgress) => void },
  ): Promise<void> {
    const start = s.loaded;
    const report = () => s.onProgress?.(s.meter.progress(file, s.loaded, s.size));
    report();
    if (!res.body) throw new HubError(`${file}: empty response body`);
    const reader = res.body.getReader();
    let lastReport = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (s.out) {
        if (s.loaded + value.length > s.out.length) {
          await reader.cancel();
          throw new HubError(`${file}: the server sent more than the ${s.out.length} bytes the Hub lists (wrong length)`, -1);
        }
        s.out.set(value, s.loaded);
      } else s.chunks.push(value);
      s.loaded += value.length;
      const now = performance.now();
      if (now - lastReport > 100) {
        lastReport = now;
        report();
      }
    }
    report();
    if (s.size !== undefined && s.loaded < s.size) {
      // A response that ended early: the caller resumes from here.
      throw new Error(`connection closed after ${s.loaded - start} bytes of this response (${s.loaded} of ${s.size})`);
    }
  }
}
