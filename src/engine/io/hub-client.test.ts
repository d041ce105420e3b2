// The Hub client against a real HTTP server on 127.0.0.1 that plays the Hub (hub-test-server.ts), including its
// failures: every download either returns exactly the served bytes or throws one HubError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { HubClient, HubError } from './hub-client.ts';
import { startHubServer, type HubTestServer } from './hub-test-server.ts';
import type { TransferProgress } from './rate-meter.ts';

const REPO = 'test-org/blobs';
const ref = { repo: REPO, revision: 'main' };
// 1 MiB of deterministic bytes as an LFS file (redirected to the "CDN"), and a small JSON file served directly.
const big = new Uint8Array(1 << 20).map((_, i) => (i * 2654435761) >>> 24);
const small = JSON.stringify({ hello: 'world' });

let hub: HubTestServer;
let client: HubClient;
beforeAll(async () => {
  hub = await startHubServer([
    { repo: REPO, files: new Map<string, Uint8Array | string>([['w.safetensors', big], ['config.json', small]]) },
    { repo: 'test-org/gated', token: 'hf_secret', files: new Map([['config.json', small]]) },
  ]);
  client = new HubClient({ endpoint: hub.endpoint });
});
afterAll(() => hub.close());

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function rejection(p: Promise<unknown>): Promise<HubError> {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(HubError);
  return e as HubError;
}

describe('HubClient', () => {
  it('lists files with sizes and hashes, and HEAD reads the linked size and etag off the redirect', async () => {
    const info = await client.repoInfo(ref);
    expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
    const w = info.files!.find((f) => f.path === 'w.safetensors')!;
    expect(w).toEqual({ path: 'w.safetensors', size: big.length, sha256: sha(big) });
    const head = await client.head(ref, 'w.safetensors');
    expect(head).toMatchObject({ size: big.length, sha256: sha(big), commit: info.commit });
    const cfg = await client.head(ref, 'config.json');
    expect(cfg?.gitSha1).toMatch(/^[0-9a-f]{40}$/);
    expect(await client.head(ref, 'nope.json')).toBeNull();
  });

  it('downloads through the redirect, verifies the hash, and reports progress with rate and total', async () => {
    const seen: TransferProgress[] = [];
    const bytes = await client.download(ref, 'w.safetensors', { size: big.length, sha256: sha(big) }, { onProgress: (p) => seen.push(p) });
    expect(Buffer.from(bytes).equals(Buffer.from(big))).toBe(true);
    expect(seen.at(-1)).toMatchObject({ loaded: big.length, total: big.length });
    // A git-sha1-checked small file too.
    const cfg = await client.head(ref, 'config.json');
    expect(new TextDecoder().decode(await client.download(ref, 'config.json', cfg!))).toBe(small);
  });

  it('reads a byte range, and says so when the server ignores Range', async () => {
    const r = await client.readRange(ref, 'w.safetensors', 8, 24);
    expect(r.ranged && [...r.bytes]).toEqual([...big.subarray(8, 24)]);
    expect(r.ranged && r.total).toBe(big.length);
    hub.setFault(REPO, 'w.safetensors', 'no-range');
    expect(await client.readRange(ref, 'w.safetensors', 8, 24)).toEqual({ ranged: false });
    hub.setFault(REPO, 'w.safetensors', null);
  });

  it('resumes a dropped connection with Range from the last byte received', async () => {
    hub.setFault(REPO, 'w.safetensors', 'disconnect-once');
    const before = hub.requests.length;
    const bytes = await client.download(ref, 'w.safetensors', { size: big.length, sha256: sha(big) });
    expect(sha(bytes)).toBe(sha(big));
    const resumed = hub.requests.slice(before).find((r) => r.range && /^bytes=\d+-$/.test(r.range));
    expect(resumed, 'a Range request resumed the download').toBeDefined();
    expect(Number(resumed!.range!.match(/\d+/)![0])).toBeGreaterThan(0);
  });

  it('gives up with one message when every attempt drops', async () => {
    hub.setFault(REPO, 'w.safetensors', 'disconnect-always');
    const e = await rejection(client.download(ref, 'w.safetensors', { size: big.length, sha256: sha(big) }, { resumes: 2 }));
    expect(e.message).toMatch(/w\.safetensors: download failed after \d+ bytes/);
    hub.setFault(REPO, 'w.safetensors', null);
  });

  it('refuses a body of the wrong length, an HTML error page, a 500 and a missing file', async () => {
    const expected = { size: big.length, sha256: sha(big) };
    hub.setFault(REPO, 'w.safetensors', 'wrong-length');
    expect((await rejection(client.download(ref, 'w.safetensors', expected))).message).toMatch(/sends 1048569 bytes but the Hub lists 1048576/);
    hub.setFault(REPO, 'w.safetensors', 'html');
    expect((await rejection(client.download(ref, 'w.safetensors', expected))).message).toMatch(/answered with an HTML page/);
    hub.setFault(REPO, 'w.safetensors', 'error');
    expect((await rejection(client.download(ref, 'w.safetensors', expected))).message).toMatch(/HTTP 500/);
    hub.setFault(REPO, 'w.safetensors', null);
    expect((await rejection(client.download(ref, 'missing.safetensors'))).message).toMatch(/missing\.safetensors in test-org\/blobs@main not found \(404\)/);
  });

  it('refuses bytes whose hash differs from the listed one', async () => {
    const e = await rejection(client.download(ref, 'w.safetensors', { size: big.length, sha256: 'ab'.repeat(32) }));
    expect(e.message).toMatch(/sha256 .* but the Hub lists abababab/);
  });

  it('stops on Cancel (AbortSignal) with the abort reason', async () => {
    hub.setRate(256 * 1024);
    const ac = new AbortController();
    const p = client.download(ref, 'w.safetensors', { size: big.length }, { signal: ac.signal, onProgress: (x) => x.loaded > 0 && ac.abort(new Error('cancelled by the user')) });
    await expect(p).rejects.toThrow('cancelled by the user');
    hub.setRate(null);
  });

  it('names the missing token for a gated repo, and sends it when given', async () => {
    const gated = { repo: 'test-org/gated', revision: 'main' };
    expect((await rejection(client.repoInfo(gated))).message).toMatch(/needs a Hugging Face token/);
    const withToken = new HubClient({ endpoint: hub.endpoint, token: 'hf_secret' });
    expect((await withToken.repoInfo(gated)).files?.map((f) => f.path)).toEqual(['config.json']);
    expect((await rejection(client.repoInfo({ repo: 'test-org/none', revision: 'main' }))).message).toMatch(/token|no repo/);
    expect((await rejection(client.repoInfo({ repo: REPO, revision: 'v9' }))).message).toMatch(/has no revision "v9"/);
  });

  it('says the endpoint cannot be reached when nothing listens', async () => {
    const dead = new HubClient({ endpoint: 'http://127.0.0.1:9' });
    expect((await rejection(dead.repoInfo(ref))).message).toMatch(/could not reach .*offline, or the endpoint/);
  });
});
