// The models saved in this browser, with their sizes and a Delete button, and the site's storage figures from
// navigator.storage.estimate() (which Chromium reports before any quota override, so they are a guide).
import { formatBytes } from '../panels/model-format.ts';
import type { CachedModelView, StorageView } from '../../worker/hub-protocol.ts';

export interface CacheState {
  models: CachedModelView[];
  storage: StorageView;
  error?: string;
}

export function CachedModels({ cache, onDelete, busy }: { cache: CacheState | null; onDelete: (m: CachedModelView) => void; busy: boolean }) {
  if (!cache) return null;
  const { models, storage } = cache;
  return (
    <div className="hub-cached" data-testid="cached-models">
      <h3>Cached models</h3>
      {cache.error && (
        <p className="field-error" role="alert">
          {cache.error}
        </p>
      )}
      {models.length === 0 ? (
        <p className="empty">No Hub models saved in this browser yet.</p>
      ) : (
        <ul>
          {models.map((m) => (
            <li key={`${m.repo}@${m.commit}`} data-testid="cached-model" data-repo={m.repo}>
              <span>
                {m.repo} <span className="model-meta">@{m.revisions.length ? m.revisions.join(', ') : m.commit.slice(0, 8)} · {m.files} files · {formatBytes(m.bytes)}{m.complete ? "" : " · incomplete"}</span>
              </span>
              <button type="button" onClick={() => onDelete(m)} disabled={busy} aria-label={`Delete ${m.repo}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {storage.usage !== undefined && storage.quota !== undefined && (
        <p className="field-help" data-testid="storage-estimate">
          This site uses {formatBytes(storage.usage)} of {formatBytes(storage.quota)} the browser allows
          {storage.persisted === true ? '; storage is persistent.' : storage.persisted === false ? '; storage is not persistent (the browser may clear it when space runs low).' : '.'}
        </p>
      )}
    </div>
  );
}
