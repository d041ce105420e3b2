// The Hub worker's work, apart from the worker global so it can run in Node tests: inspect a model (config,
// sizes, header; the page computes the fit verdicts from the config, rl/plan-verdict.ts), download it into the store with progress (Cancel aborts it), list and delete
// cached models, and ask for persistent storage when a model is saved. Every failure is one sentence.
import { HubClient } from '../engine/io/hub-client.ts';
import { parseHubModelId } from '../engine/io/hub-id.ts';
import { downloadHubModel, inspectHubModel } from '../engine/io/hub-model.ts';
import type { HubFileStore } from '../engine/io/hub-store.ts';
import type { CachedModelView, HubAccess, HubToUi, StorageView, UiToHub } from './hub-protocol.ts';

export interface HubServiceDeps {
  store: HubFileStore;
  post: (m: HubToUi) => void;
  listModels: () => Promise<CachedModelView[]>;
  deleteModel: (repo: string, commit?: string) => Promise<void>;
  storage: () => Promise<StorageView>;
  /** Ask the browser to keep this site's storage (navigator.storage.persist); returns whether it is persistent. */
  persist: () => Promise<boolean | undefined>;
  fetch?: (input: string, init?: RequestInit) => Promise<Response>;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class HubService {
  private readonly running = new Map<number, AbortController>();
  constructor(private readonly deps: HubServiceDeps) {}

  private client(access: HubAccess) {
    return new HubClient({ endpoint: access.endpoint, token: access.token, fetch: this.deps.fetch });
  }

  async handle(m: UiToHub): Promise<void> {
    const { post } = this.deps;
    if (m.type === 'cancel') {
      this.running.get(m.id)?.abort(new DOMException('cancelled', 'AbortError'));
      return;
    }
    const ac = new AbortController();
    this.running.set(m.id, ac);
    try {
      switch (m.type) {
        case 'inspect': {
          const ref = parseHubModelId(m.modelId);
          const info = await inspectHubModel(ref, { client: this.client(m.access), store: this.deps.store, signal: ac.signal });
          const { config, weightFiles: _w, revision: _r, ...rest } = info;
          post({ type: 'inspected', id: m.id, inspection: { ...rest, modelId: m.modelId, modelConfig: config } });
          return;
        }
        case 'download': {
          const ref = parseHubModelId(m.modelId);
          const commit = await downloadHubModel(ref, {
            client: this.client(m.access),
            store: this.deps.store,
            signal: ac.signal,
            onProgress: (p) => post({ type: 'progress', id: m.id, file: p.file, loaded: p.loaded, total: p.total, bytesPerSecond: p.bytesPerSecond, etaSeconds: p.etaSeconds }),
          });
          const persisted = await this.deps.persist().catch(() => undefined);
          post({ type: 'downloaded', id: m.id, modelId: m.modelId, commit, persisted });
          return;
        }
        case 'list':
          post({ type: 'cache', id: m.id, models: await this.deps.listModels(), storage: await this.deps.storage() });
          return;
        case 'delete':
          await this.deps.deleteModel(m.repo, m.commit);
          post({ type: 'cache', id: m.id, models: await this.deps.listModels(), storage: await this.deps.storage() });
          return;
      }
    } catch (e) {
      if (ac.signal.aborted) post({ type: 'failed', id: m.id, message: 'Download cancelled; nothing partial was kept.', cancelled: true });
      else post({ type: 'failed', id: m.id, message: messageOf(e) });
    } finally {
      this.running.delete(m.id);
    }
  }
}
