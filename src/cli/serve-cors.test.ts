// `serve --allow-origin`: the CORS headers a browser needs before it hands a served reply to another origin's
// page (the playground at http://localhost:5173 using a served model as its judge), and none for other origins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import type { Backend } from '../engine/backend.ts';
import { loadModel } from './models.ts';
import { startServer, type RunningServer } from './serve.ts';
import { parseAllowedOrigins } from './serve-cors.ts';

const PAGE = 'http://localhost:5173';
let server: RunningServer;

beforeAll(async () => {
  const backend = (await CpuBackend.create({ threads: 1 })) as unknown as Backend;
  server = await startServer({ modelName: 'tiny-arith', loaded: await loadModel('tiny-arith'), backend, port: 0, seed: 1, allowOrigins: [PAGE] });
});
afterAll(async () => {
  await server?.close();
});

describe('serve: cross-origin pages', () => {
  it('answers an allowed origin\'s preflight and request with its origin, and another origin with neither', async () => {
    const preflight = await fetch(`${server.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const reply = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { origin: PAGE, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny-arith', messages: [{ role: 'user', content: '3+4' }], max_tokens: 12, temperature: 0 }),
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(((await reply.json()) as { choices: unknown[] }).choices).toHaveLength(1);

    const other = await fetch(`${server.url}/models`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await fetch(`${server.url}/models`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(otherPreflight.status).toBe(403);
  });

  it('reads the flag: origins, *, and one message for what is not an origin', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins('http://localhost:5173/, https://a.example')).toEqual(['http://localhost:5173', 'https://a.example']);
    expect(parseAllowedOrigins('*')).toEqual(['*']);
    expect(() => parseAllowedOrigins('localhost:5173')).toThrow(/not an origin/);
    expect(() => parseAllowedOrigins('http://localhost:5173/judge')).toThrow(/no path/);
  });
});
