// Where a model folder's files come from: one small interface, with an HTTP implementation (the browser, or a
// Hugging Face "resolve" URL) and an in-memory one (tests, freshly built models). Browser-safe: no Node imports;
// the filesystem source lives in node-source.ts so the browser bundle never pulls in fs.

export class FileSourceError extends Error {
  override name = 'FileSourceError';
}

/**
 * Refuse a file name that could leave its model folder: the names come from the folder itself (an index's
 * weight_map), so "../outside.safetensors" or "../../../../etc/passwd" must never reach a path or a URL.
 * A name is relative, '/'-separated, with no empty, '.' or '..' segment, no backslash, drive letter or control
 * character. Every FileSource checks each name it is given.
 */
export function checkFolderFileName(name: string, describe: string): void {
  const problem =
    typeof name !== 'string' || name === ''
      ? 'is empty'
      : name.length > 1000
        ? 'is longer than 1000 characters'
        : // eslint-disable-next-line no-control-regex
          /[\u0000-\u001f\u007f\\]/.test(name)
          ? 'holds a backslash or a control character'
          : name.startsWith('/') || /^[A-Za-z]:/.test(name)
            ? 'is an absolute path'
            : name.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')
              ? "has an empty, '.' or '..' part"
              : null;
  if (problem) {
    const shown = JSON.stringify(String(name).slice(0, 200));
    throw new FileSourceError(`file name ${shown} ${problem}: a model folder may only name files inside itself (${describe})`);
  }
}

export interface ReadOptions {
  /** Called as bytes arrive; total is undefined when the server does not say. */
  onProgress?: (loaded: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface FileSource {
  /** Human-readable location, used in error messages ("https://…/tiny-llama", "/tmp/model"). */
  describe: string;
  readText(name: string): Promise<string>;
  readBytes(name: string, opts?: ReadOptions): Promise<Uint8Array>;
  has(name: string): Promise<boolean>;
}

type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** Files under a base URL, e.g. `/models/tiny-llama/` or `https://huggingface.co/ORG/NAME/resolve/main`. */
export function httpSource(baseUrl: string, fetchFn: FetchFn = (input, init) => fetch(input, init)): FileSource {
  const base = baseUrl.replace(/\/+$/, '');
  const urlOf = (name: string) => `${base}/${name.split('/').map(encodeURIComponent).join('/')}`;

  async function get(name: string, init?: RequestInit): Promise<Response> {
    checkFolderFileName(name, base);
    const url = urlOf(name);
    let res: Response;
    try {
      res = await fetchFn(url, init);
    } catch (e) {
      if (init?.signal?.aborted) throw e;
      throw new FileSourceError(`could not fetch ${url}: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) throw new FileSourceError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} fetching ${url}`);
    return res;
  }

  return {
    describe: base,
    async readText(name) {
      const res = await get(name);
      try {
        return await res.text();
      } catch (e) {
        throw new FileSourceError(`download of ${urlOf(name)} failed: ${(e as Error).message}`, { cause: e });
      }
    },
    async readBytes(name, opts = {}) {
      const res = await get(name, { signal: opts.signal });
      const header = res.headers.get('content-length');
      const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
      try {
        return await readBody(res, total, opts);
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw new FileSourceError(`download of ${urlOf(name)} failed: ${(e as Error).message}`, { cause: e });
      }
    },
    async has(name) {
      checkFolderFileName(name, base);
      let res: Response;
      try {
        res = await fetchFn(urlOf(name), { method: 'HEAD' });
        if (res.status === 405) res = await fetchFn(urlOf(name));
      } catch {
        // Offline, a service worker answers GET from its cache but not HEAD: ask once more with GET (body unread).
        try {
          res = await fetchFn(urlOf(name));
          void res.body?.cancel().catch(() => {});
        } catch {
          return false;
        }
      }
      if (!res.ok) return false;
      // Single-page dev servers answer any path with index.html; that is not the file we asked for.
      const type = res.headers.get('content-type') ?? '';
      return !(type.includes('text/html') && !/\.html?$/.test(name));
    },
  };
}

/** Read a response body, reporting progress and checking that no bytes are missing. */
async function readBody(res: Response, total: number | undefined, opts: ReadOptions): Promise<Uint8Array> {
  // A compressed response's content-length counts compressed bytes, so only trust it for identity encoding.
  const exact = total !== undefined && !res.headers.get('content-encoding') ? total : undefined;
  if (!res.body) {
    const bytes = new Uint8Array(await res.arrayBuffer());
    opts.onProgress?.(bytes.length, bytes.length);
    return bytes;
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let out = exact !== undefined ? new Uint8Array(exact) : null;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (out && loaded + value.length <= out.length) out.set(value, loaded);
    else {
      if (out) chunks.push(out.subarray(0, loaded));
      out = null;
      chunks.push(value);
    }
    loaded += value.length;
    opts.onProgress?.(loaded, total);
  }
  if (exact !== undefined && loaded < exact) throw new Error(`connection closed after ${loaded} of ${exact} bytes`);
  if (out) return out;
  const joined = new Uint8Array(loaded);
  let pos = 0;
  for (const c of chunks) {
    joined.set(c, pos);
    pos += c.length;
  }
  return joined;
}

/** Files held in memory: strings are UTF-8 encoded on read. */
export function memorySource(files: Map<string, Uint8Array | string>, describe = 'in-memory model folder'): FileSource {
  const lookup = (name: string) => {
    checkFolderFileName(name, describe);
    const f = files.get(name);
    if (f === undefined) throw new FileSourceError(`${name} not found in ${describe}`);
    return f;
  };
  return {
    describe,
    async readText(name) {
      const f = lookup(name);
      return typeof f === 'string' ? f : new TextDecoder().decode(f);
    },
    async readBytes(name, opts = {}) {
      const f = lookup(name);
      const bytes = typeof f === 'string' ? new TextEncoder().encode(f) : f;
      opts.onProgress?.(bytes.length, bytes.length);
      return bytes;
    },
    async has(name) {
      checkFolderFileName(name, describe);
      return files.has(name);
    },
  };
}
