// Hub models end to end in Node: inspect before download, download into the Hugging Face cache layout, load the
// model from it (online, then offline), recover from a corrupt cached blob, reuse a cache laid out by Python's
// huggingface_hub, and refuse an unsupported config with one line. Real HTTP server, real disk, real Qwen3 BPE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFolder } from './model-folder.ts';
import { HubClient } from './hub-client.ts';
import { hfCacheStore, repoFolderName } from './hf-cache-node.ts';
import { downloadHubModel, inspectHubModel } from './hub-model.ts';
import { hubSource, isSnapshotComplete, resolveSnapshot } from './hub-source.ts';
import { startHubServer, type HubTestServer } from './hub-test-server.ts';
import { tinyQwen3Folder } from './hub-test-models.ts';
import type { TransferProgress } from './rate-meter.ts';

const REPO = 'test-org/tiny-qwen3';
const ref = { repo: REPO, revision: 'main' };
const files = tinyQwen3Folder({ shards: 2, seed: 7 });
const bytesOf = (v: Uint8Array | string) => (typeof v === 'string' ? new TextEncoder().encode(v) : v);

let hub: HubTestServer;
let dir: string;
beforeAll(async () => {
  hub = await startHubServer([
    { repo: REPO, files },
    { repo: 'test-org/rope-scaled', files: new Map([...files].map(([k, v]) => [k, k === 'config.json' ? JSON.stringify({ ...JSON.parse(v as string), rope_scaling: { type: 'yarn', factor: 4 } }) : v])) },
  ]);
  dir = mkdtempSync(join(tmpdir(), 'hf-cache-'));
});
afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

const opts = (extra: Partial<Parameters<typeof hubSource>[1]> = {}) => ({ client: new HubClient({ endpoint: hub.endpoint }), store: hfCacheStore(dir), ...extra });

describe('Hub models through the HF cache layout', () => {
  it('inspects a sharded BF16 repo before downloading: params, download size, dtype from a Range read of the header', async () => {
    const before = hub.downloads('model-00001-of-00002.safetensors');
    const info = await inspectHubModel(ref, opts());
    expect(info.refusal).toBeNull();
    expect(info.params).toBe(151936 * 16 + 2 * (4 * 16 * 8 + 2 * 8 * 16 + 3 * 16 * 32 + 2 * 16 + 2 * 8) + 16);
    const total = [...files.values()].reduce((a, v) => a + bytesOf(v).length, 0);
    expect(info.downloadBytes).toBe(total);
    expect(info.weightFiles).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(info.dtypes).toBe('BF16');
    expect(info.headerNote).toMatch(/Range request/);
    expect(info.cached).toBe(false);
    expect(hub.downloads('model-00001-of-00002.safetensors'), 'no weight file was downloaded').toBe(before);
  });

  it('downloads into blobs/refs/snapshots with progress, then loads; a second load reads nothing from the server', async () => {
    const seen: TransferProgress[] = [];
    const commit = await downloadHubModel(ref, opts({ onProgress: (p) => seen.push(p) }));
    const repoDir = join(dir, repoFolderName(REPO));
    expect(readFileSync(join(repoDir, 'refs', 'main'), 'utf8')).toBe(commit);
    const link = join(repoDir, 'snapshots', commit, 'model-00001-of-00002.safetensors');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const shard = bytesOf(files.get('model-00001-of-00002.safetensors')!);
    expect(readlinkSync(link)).toBe(`../../blobs/${createHash('sha256').update(shard).digest('hex')}`);
    const total = [...files.values()].reduce((a, v) => a + bytesOf(v).length, 0);
    expect(seen.at(-1)).toMatchObject({ loaded: total, total });

    const requestsBefore = hub.requests.length;
    const m = await loadModelFolder(hubSource(ref, opts()));
    expect(hub.requests.length, 'cache-first: the cached snapshot loads without the network').toBe(requestsBefore);
    expect(m.config.model_type).toBe('qwen3');
    // The real Qwen3 BPE: "Hello world" is two tokens, and the chat template renders <|im_start|>.
    expect(m.tokenizer.encode('Hello world').length).toBe(2);
    expect(m.chatTemplate).toContain('<|im_start|>');
  });

  it('drops a corrupt cached blob at load and fetches it again', async () => {
    const commit = readFileSync(join(dir, repoFolderName(REPO), 'refs', 'main'), 'utf8');
    const link = join(dir, repoFolderName(REPO), 'snapshots', commit, 'model-00002-of-00002.safetensors');
    const blob = join(link, '..', readlinkSync(link));
    const poisoned = readFileSync(blob);
    poisoned[poisoned.length - 1] ^= 0xff;
    writeFileSync(blob, poisoned);
    const notes: string[] = [];
    const before = hub.downloads('model-00002-of-00002.safetensors');
    const got = await hubSource(ref, opts({ onNote: (n) => notes.push(n) })).readBytes('model-00002-of-00002.safetensors');
    expect(Buffer.from(got).equals(Buffer.from(bytesOf(files.get('model-00002-of-00002.safetensors')!)))).toBe(true);
    expect(notes.join('\n')).toMatch(/dropped a corrupt cached file \(model-00002-of-00002\.safetensors has sha256/);
    expect(hub.downloads('model-00002-of-00002.safetensors')).toBe(before + 1);
    expect(createHash('sha256').update(readFileSync(blob)).digest('hex')).toBe(readlinkSync(link).split('/').pop());
  });

  it('reuses a snapshot laid out by Python (huggingface_hub) with the Hub unreachable', async () => {
    // Lay the files out exactly as huggingface_hub does, by hand, in a fresh HF_HOME.
    const pyCache = mkdtempSync(join(tmpdir(), 'hf-py-'));
    const commit = 'a'.repeat(40);
    const repoDir = join(pyCache, repoFolderName(REPO));
    mkdirSync(join(repoDir, 'blobs'), { recursive: true });
    mkdirSync(join(repoDir, 'refs'), { recursive: true });
    mkdirSync(join(repoDir, 'snapshots', commit), { recursive: true });
    writeFileSync(join(repoDir, 'refs', 'main'), commit);
    for (const [name, v] of files) {
      const b = bytesOf(v);
      const etag = name.endsWith('.safetensors') ? createHash('sha256').update(b).digest('hex') : createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
      writeFileSync(join(repoDir, 'blobs', etag), b);
      symlinkSync(`../../blobs/${etag}`, join(repoDir, 'snapshots', commit, name));
    }
    const offline = { client: new HubClient({ endpoint: 'http://127.0.0.1:9' }), store: hfCacheStore(pyCache) };
    const m = await loadModelFolder(hubSource(ref, offline));
    expect(m.config.vocab_size).toBe(151936);
    // Not cache-first: the Hub is asked, cannot be reached, and the cached snapshot is used with a note.
    const notes: string[] = [];
    const snap = await resolveSnapshot(ref, { ...offline, cacheFirst: false, onNote: (n) => notes.push(n) });
    expect(snap).toMatchObject({ commit, online: false });
    expect(notes[0]).toMatch(/^offline .*using the cached snapshot aaaaaaaa/);
    rmSync(pyCache, { recursive: true, force: true });
  });

  it('a repo whose config the engine refuses shows that one line, before any weights download', async () => {
    const info = await inspectHubModel({ repo: 'test-org/rope-scaled', revision: 'main' }, opts());
    expect(info.refusal).toBe('config.json: rope_scaling type "yarn" is not supported (only the default, unscaled RoPE)');
    expect(info.params).toBeNull();
    expect(existsSync(join(dir, repoFolderName('test-org/rope-scaled'))), 'inspecting cached nothing').toBe(false);
  });

  it('an interrupted download leaves the cache as it was, and a retry completes it', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'hf-cut-'));
    hub.setFault(REPO, 'model-00001-of-00002.safetensors', 'disconnect-always');
    const o = { client: new HubClient({ endpoint: hub.endpoint }), store: hfCacheStore(fresh) };
    await expect(downloadHubModel(ref, o)).rejects.toThrow(/model-00001-of-00002\.safetensors: download failed/);
    const commit0 = readFileSync(join(fresh, repoFolderName(REPO), 'refs', 'main'), 'utf8');
    expect(await o.store.list(REPO, commit0), 'the failed download removed what it had added').toEqual([]);
    hub.setFault(REPO, 'model-00001-of-00002.safetensors', null);
    // The complete first shard was never stored; a retry fetches what is missing and the snapshot is whole.
    const commit = await downloadHubModel(ref, o);
    expect(await isSnapshotComplete(o.store, REPO, commit)).toBe(true);
    rmSync(fresh, { recursive: true, force: true });
  });
});
