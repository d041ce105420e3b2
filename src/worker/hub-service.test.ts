// The Hub worker's logic in Node, against the Hub look-alike: inspect gives sizes and the parsed config, download streams
// progress and asks for persistence, Cancel and failures are one message each and leave the store as it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryHubStore } from '../engine/io/hub-store.ts';
import { startHubServer, type HubTestServer } from '../engine/io/hub-test-server.ts';
import { tinyQwen3Folder } from '../engine/io/hub-test-models.ts';
import type { HubToUi } from './hub-protocol.ts';
import { HubService } from './hub-service.ts';

let hub: HubTestServer;
beforeAll(async () => {
  hub = await startHubServer([{ repo: 'test-org/tiny-qwen3', files: tinyQwen3Folder({ seed: 5 }) }]);
});
afterAll(() => hub.close());

function service() {
  const store = memoryHubStore();
  const sent: HubToUi[] = [];
  let persisted = 0;
  const s = new HubService({
    store,
    post: (m) => sent.push(m),
    listModels: async () => [],
    deleteModel: async () => undefined,
    storage: async () => ({}),
    persist: async () => (persisted++, true),
  });
  return { s, store, sent, persisted: () => persisted };
}

const access = () => ({ endpoint: hub.endpoint });

describe('HubService', () => {
  it('inspects (params, size, dtype, config) and downloads with progress, then asks for persistent storage', async () => {
    const { s, store, sent, persisted } = service();
    await s.handle({ type: 'inspect', id: 1, modelId: 'hf:test-org/tiny-qwen3', access: access() });
    const inspected = sent.find((m) => m.type === 'inspected');
    expect(inspected?.type === 'inspected' && inspected.inspection).toMatchObject({ dtypes: 'BF16', cached: false, refusal: null, modelConfig: { model_type: 'qwen3', vocab_size: 151936 } });
    expect(store.files.size, 'inspecting stores nothing').toBe(0);
    await s.handle({ type: 'download', id: 2, modelId: 'hf:test-org/tiny-qwen3', access: access() });
    expect(sent.filter((m) => m.type === 'progress' && m.id === 2).length).toBeGreaterThan(1);
    expect(sent.at(-1)).toMatchObject({ type: 'downloaded', id: 2, persisted: true });
    expect(persisted()).toBe(1);
    expect([...store.files.keys()].map((k) => k.split('\n')[2]).sort()).toEqual(['config.json', 'generation_config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
  });

  it('Cancel stops a download with one calm message and keeps nothing', async () => {
    const { s, store, sent } = service();
    hub.setRate(2e6);
    const done = s.handle({ type: 'download', id: 7, modelId: 'hf:test-org/tiny-qwen3', access: access() });
    await new Promise((r) => setTimeout(r, 400));
    await s.handle({ type: 'cancel', id: 7 });
    await done;
    hub.setRate(null);
    expect(sent.at(-1)).toEqual({ type: 'failed', id: 7, message: 'Download cancelled; nothing partial was kept.', cancelled: true });
    expect(store.files.size).toBe(0);
  });

  it('a missing repo and a bad id are one message each', async () => {
    const { s, sent } = service();
    await s.handle({ type: 'inspect', id: 3, modelId: 'hf:test-org/none', access: access() });
    await s.handle({ type: 'inspect', id: 4, modelId: 'hf:no-slash', access: access() });
    expect(sent).toEqual([
      { type: 'failed', id: 3, message: 'test-org/none needs a Hugging Face token (401: private or gated, or no such repo)' },
      { type: 'failed', id: 4, message: '"no-slash" is not ORG/NAME (a Hub repo id has exactly one /)' },
    ]);
  });
});
