import { describe, expect, it } from 'vitest';
import { FileSourceError, httpSource, memorySource } from './sources.ts';
import { createTinyModel, loadModelFolder, modelFolderFiles } from './model-folder.ts';

/** A fake fetch serving `files` under https://host/m/, recording requests. */
function fakeFetch(files: Map<string, Uint8Array | string>, opts: { chunk?: number; lie?: number; html404?: boolean } = {}) {
  const calls: string[] = [];
  const fn = async (url: string, init?: RequestInit): Promise<Response> => {
    const method = init?.method ?? 'GET';
    calls.push(`${method} ${url}`);
    const name = decodeURIComponent(url.replace('https://host/m/', ''));
    const f = files.get(name);
    if (f === undefined) {
      if (opts.html404) return new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } });
      return new Response('nope', { status: 404, statusText: 'Not Found' });
    }
    const bytes = typeof f === 'string' ? new TextEncoder().encode(f) : f;
    const chunk = opts.chunk ?? bytes.length;
    const length = String(bytes.length + (opts.lie ?? 0));
    if (method === 'HEAD') return new Response(null, { status: 200, headers: { 'content-length': length } });
    let pos = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pos >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(pos, pos + chunk));
        pos += chunk;
      },
    });
    return new Response(body, { status: 200, headers: { 'content-length': length, 'content-type': 'application/octet-stream' } });
  };
  return { fn, calls };
}

describe('httpSource', () => {
  const files = new Map<string, Uint8Array | string>([
    ['config.json', '{"a": 1}'],
    ['weights.bin', new Uint8Array(1000).map((_, i) => i % 251)],
  ]);

  it('reads text and bytes under a base URL, with or without a trailing slash, reporting progress', async () => {
    const { fn, calls } = fakeFetch(files, { chunk: 300 });
    const src = httpSource('https://host/m/', fn);
    expect(src.describe).toBe('https://host/m');
    expect(await src.readText('config.json')).toBe('{"a": 1}');
    const seen: [number, number | undefined][] = [];
    const bytes = await src.readBytes('weights.bin', { onProgress: (l, t) => seen.push([l, t]) });
    expect(bytes).toEqual(files.get('weights.bin'));
    expect(seen).toEqual([
      [300, 1000],
      [600, 1000],
      [900, 1000],
      [1000, 1000],
    ]);
    expect(calls[0]).toBe('GET https://host/m/config.json');
    expect(await httpSource('https://host/m', fn).readText('config.json')).toBe('{"a": 1}');
  });

  it('fails with the URL and HTTP status', async () => {
    const src = httpSource('https://host/m', fakeFetch(files).fn);
    await expect(src.readText('missing.json')).rejects.toThrow(new FileSourceError('HTTP 404 Not Found fetching https://host/m/missing.json'));
    await expect(src.readBytes('missing.json')).rejects.toThrow(/HTTP 404 Not Found fetching https:\/\/host\/m\/missing\.json/);
  });

  it('fails with the URL on a network error and on a download cut short', async () => {
    const down = httpSource('https://host/m', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.readText('config.json')).rejects.toThrow('could not fetch https://host/m/config.json: Failed to fetch');
    const short = httpSource('https://host/m', fakeFetch(files, { chunk: 100, lie: 24 }).fn);
    await expect(short.readBytes('weights.bin')).rejects.toThrow(
      'download of https://host/m/weights.bin failed: connection closed after 1000 of 1024 bytes',
    );
  });

  it('has() uses HEAD and does not mistake a dev server index.html for a file', async () => {
    const { fn, calls } = fakeFetch(files);
    const src = httpSource('https://host/m', fn);
    expect(await src.has('config.json')).toBe(true);
    expect(await src.has('nothing.json')).toBe(false);
    expect(calls).toEqual(['HEAD https://host/m/config.json', 'HEAD https://host/m/nothing.json']);
    expect(await httpSource('https://host/m', fakeFetch(files, { html404: true }).fn).has('chat_template.jinja')).toBe(false);
  });

  it('loads a whole model folder over HTTP', async () => {
    const m = createTinyModel({ seed: 4 });
    const loaded = await loadModelFolder(httpSource('https://host/m', fakeFetch(modelFolderFiles(m), { chunk: 4096 }).fn));
    expect(loaded.config).toEqual(m.config);
    expect(loaded.params.every((x, i) => Object.is(x, m.params[i]))).toBe(true);
  });
});

describe('memorySource', () => {
  it('serves strings and bytes either way, and names missing files', async () => {
    const src = memorySource(new Map<string, Uint8Array | string>([['a.txt', 'héllo'], ['b.bin', new Uint8Array([104, 105])]]));
    expect(await src.readText('a.txt')).toBe('héllo');
    expect(await src.readBytes('a.txt')).toEqual(new TextEncoder().encode('héllo'));
    expect(await src.readText('b.bin')).toBe('hi');
    expect(await src.has('b.bin')).toBe(true);
    expect(await src.has('c')).toBe(false);
    await expect(src.readText('c')).rejects.toThrow('c not found in in-memory model folder');
  });
});

describe('file names are confined to the folder', () => {
  it('http and memory sources refuse names that leave the folder, before any request', async () => {
    const { createServer } = await import('node:http');
    const hits: string[] = [];
    const server = createServer((req, res) => (hits.push(req.url ?? ''), res.end('secret')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const src = httpSource(`http://127.0.0.1:${port}/models/org/name/resolve/main`);
      for (const name of ['../x.safetensors', '../../../../../../etc/passwd', '/etc/passwd', 'a//b', './x', 'a\\b', 'C:x', 'x\u0000y', '']) {
        await expect(src.readBytes(name), name).rejects.toThrow(/a model folder may only name files inside itself/);
        await expect(src.readText(name)).rejects.toThrow(FileSourceError);
        await expect(src.has(name)).rejects.toThrow(FileSourceError);
        await expect(memorySource(new Map([[name, 'x']])).readText(name)).rejects.toThrow(/may only name files inside itself/);
      }
      expect(hits).toEqual([]);
      expect(new TextDecoder().decode(await src.readBytes('sub/dir/model.safetensors'))).toBe('secret');
      expect(hits).toEqual(['/models/org/name/resolve/main/sub/dir/model.safetensors']);
    } finally {
      server.close();
    }
  });
});
