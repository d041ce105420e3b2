// The Hub Web Worker: Hub inspections and downloads off the page's thread, into the browser's model cache
// (Cache API, hub-cache-browser.ts). A switch over UiToHub messages (hub-protocol.ts) delegating to HubService.
/// <reference lib="webworker" />
import { browserHubStore, deleteCachedModel, listCachedModels } from './hub-cache-browser.ts';
import type { HubToUi, UiToHub } from './hub-protocol.ts';
import { HubService } from './hub-service.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

const service = new HubService({
  store: browserHubStore(),
  post: (m: HubToUi) => scope.postMessage(m),
  listModels: listCachedModels,
  deleteModel: deleteCachedModel,
  storage: async () => {
    const est = await navigator.storage?.estimate?.().catch(() => undefined);
    const persisted = await navigator.storage?.persisted?.().catch(() => undefined);
    return { usage: est?.usage, quota: est?.quota, persisted };
  },
  // Workers cannot call persist() in every browser; the page asks too (useHubWorker) when a model is saved.
  persist: async () => (navigator.storage && 'persist' in navigator.storage ? (navigator.storage as StorageManager).persist() : undefined),
});

scope.onmessage = (event: MessageEvent<UiToHub>) => {
  void service.handle(event.data);
};
