// The judge client against hostile servers (real node:http servers on 127.0.0.1): echoed keys, huge and
// compressed bodies, redirects elsewhere. Each is contained with one clear message and no part of the key.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, MAX_ERROR_BODY_BYTES, MAX_REPLY_BYTES, parseJudgeScore, redact } from './judge.ts';

const KEY = 'sk-proj-' + 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmnopqr'.slice(0, 52); // 60 characters

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_, res) => res.end();
let other: Handler = (_, res) => res.end();
let otherHits = 0;
let a: Server;
let b: Server;
let baseA = '';
let originB = '';

async function listen(h: () => Handler): Promise<[Server, string]> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => h()(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`];
}

beforeAll(async () => {
  let originA: string;
  [a, originA] = await listen(() => handler);
  baseA = `${originA}/v1`;
  [b, originB] = await listen(() => (otherHits++, other));
});

afterAll(async () => {
  for (const s of [a, b]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const ask = (extra: { timeoutMs?: number } = {}) =>
  chatCompletion(
    { baseUrl: baseA, model: 'm', messages: [{ role: 'user', content: 'grade this' }], maxTokens: 8, timeoutMs: 5000, retries: 0, retryDelayMs: 0, ...extra },
    { apiKey: KEY },
  );

const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a failure');
};

/** The longest piece of the key found in `text`. */
function longestKeyPiece(text: string): number {
  let best = 0;
  for (let i = 0; i < KEY.length; i++) for (let j = i + best + 1; j <= KEY.length; j++) if (text.includes(KEY.slice(i, j))) best = j - i;
  return best;
}

describe('judge: hostile servers', () => {
  it('an echoed key never shows, whole, cut at a length limit, or in fragments (fuzzed placements)', async () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
    let worst = 0;
    for (let k = 0; k < 120; k++) {
      const pad = 'x'.repeat(rand(260));
      const piece = KEY.slice(rand(20), KEY.length - rand(20));
      const forms = [
        `${pad}${KEY}${pad}`,
        JSON.stringify({ error: { message: `Incorrect API key provided: ${pad}${piece}` } }),
        `<html><body>${pad}Bearer ${KEY.slice(0, 30)} and ${KEY.slice(30)}</body></html>`,
        `${pad}${KEY.slice(0, 5 + rand(50))}`,
      ];
      const body = forms[k % forms.length];
      handler = (_, res) => res.writeHead(k % 2 ? 500 : 401, { 'content-type': 'text/plain' }).end(body);
      const message = await failure(ask());
      worst = Math.max(worst, longestKeyPiece(message));
    }
    expect(worst).toBeLessThan(4); // 3 characters of a 60-character key can occur by chance ("sk-")
    expect(redact('k=sk-proj-AbCd', KEY)).toBe('k=[redacted]');
    expect(redact(`${'y'.repeat(190)}sk-proj-Ab…`, KEY)).toBe(`${'y'.repeat(190)}[redacted]…`);
  });

  it('a 100 MB error page is read up to the limit, not buffered whole', async () => {
    let sent = 0;
    handler = (_, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(1 << 20, '<p>down</p>');
      const pump = () => {
        while (sent < 100 << 20) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.destroy());
      pump();
    };
    const t0 = performance.now();
    const message = await failure(ask());
    expect(message).toMatch(/^500 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: <p>down<\/p>/);
    expect(message.length).toBeLessThan(400);
    expect(performance.now() - t0).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toBeLessThan(32 << 20); // the client stopped reading (socket buffers hold a few MB)
    expect(MAX_ERROR_BODY_BYTES).toBe(64 * 1024);
  });

  it('a gzip bomb (64 MiB of zeros in 64 KB) is refused at the reply limit', async () => {
    const bomb = gzipSync(Buffer.alloc(64 << 20), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    handler = (_, res) => res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb);
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    expect(await failure(ask())).toMatch(new RegExp(`^reply from .* is larger than ${MAX_REPLY_BYTES} bytes: refused$`));
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(48 << 20);
    handler = (_, res) => res.writeHead(200, { 'content-length': String(50 << 20) }).end();
    expect(await failure(ask())).toMatch(/is too large \(52428800 bytes, the limit is 1048576\): refused$/);
  });

  it('redirects: another origin is refused (it receives nothing); same-origin 307 is followed; 302 is refused', async () => {
    otherHits = 0;
    other = (_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content: 'Score: 10' } }] }));
    handler = (_, res) => res.writeHead(307, { location: `${originB}/v1/chat/completions` }).end();
    expect(await failure(ask())).toMatch(new RegExp(`redirected to another origin \\(${originB}/v1/chat/completions\\): not followed`));
    expect(otherHits).toBe(0);
    handler = (req, res) =>
      req.url === '/v2/chat/completions'
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { content: 'Score: 6' } }] }))
        : res.writeHead(308, { location: '/v2/chat/completions' }).end();
    expect(await ask()).toBe('Score: 6');
    handler = (_, res) => res.writeHead(302, { location: '/elsewhere' }).end();
    expect(await failure(ask())).toMatch(/redirected \(302 to http:\/\/127\.0\.0\.1:\d+\/elsewhere\): set baseUrl to the final address/);
  });

  it('scores with exponents are read whole: 1e308 is out of range, not 1', () => {
    expect(() => parseJudgeScore('Score: 1e308', 'number', 10)).toThrow('judge score 1e+308 is outside 0-10');
    expect(() => parseJudgeScore('I give it 5e3', 'number', 10)).toThrow('outside 0-10');
    expect(parseJudgeScore('Score: 7e-1', 'number', 10)).toBeCloseTo(0.07);
    expect(parseJudgeScore('Score: 7 excellent', 'number', 10)).toBe(0.7);
  });
});
