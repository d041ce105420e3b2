// Registers the service worker (production builds; vite.config.ts) and, when a new version of the page has been
// deployed and downloaded, offers to reload into it. Until the user says so the open page keeps its version, so a
// run in progress is never cut off by an update. Also says when the page works offline.
/// <reference types="vite-plugin-pwa/react" />
import { useRegisterSW } from 'virtual:pwa-register/react';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW();

  if (needRefresh) {
    return (
      <div className="pwa-prompt" role="alert" data-testid="update-prompt">
        <p>A new version of the playground is ready. Reload to use it (a run in progress is saved; resume it after the reload).</p>
        <button type="button" className="primary" onClick={() => void updateServiceWorker(true)}>
          Reload
        </button>
        <button type="button" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="pwa-prompt" role="status" data-testid="offline-ready">
        <p>The playground now works offline: the app and its bundled models are stored in this browser.</p>
        <button type="button" onClick={() => setOfflineReady(false)}>
          OK
        </button>
      </div>
    );
  }
  return null;
}
