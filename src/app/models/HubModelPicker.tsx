// Models from the Hugging Face Hub in the Model panel: the curated list and any repo id typed in, each checked
// before anything big downloads (useHubModel), the Hub endpoint and an in-memory token, and the cached models.
// Choosing one sets config.model.id to hf:ORG/NAME[@REV]; Train then loads it from the cache (or downloads it).
import { useCallback, useEffect, useState } from 'react';
import { CURATED_HUB_MODELS } from '../../rl/hub-models.ts';
import { formatParamCount } from '../panels/model-format.ts';
import type { ConfigEdit } from '../panels/useConfigEdit.ts';
import { CachedModels, type CacheState } from './CachedModels.tsx';
import { HubModelCard } from './HubModelCard.tsx';
import { hubRequest } from './hub-client.ts';
import { normaliseHubId } from './hub-format.ts';
import { useHubSettings } from './hub-settings.ts';
import { useHubModel } from './useHubModel.ts';

function HubAccessFields() {
  const { endpoint, token, setEndpoint, setToken } = useHubSettings();
  return (
    <details className="hub-access">
      <summary>Hub endpoint and token</summary>
      <div className="field field-inline">
        <label htmlFor="hub-endpoint">Endpoint</label>
        <input id="hub-endpoint" type="url" defaultValue={endpoint} onBlur={(e) => setEndpoint(e.target.value)} spellCheck={false} />
      </div>
      <div className="field field-inline">
        <label htmlFor="hub-token">Token</label>
        <input id="hub-token" type="password" autoComplete="off" value={token} placeholder="hf_… (gated or private repos)" onChange={(e) => setToken(e.target.value)} />
      </div>
      <p className="field-help">The token stays in this tab's memory (never stored or shared) and is sent only to the endpoint.</p>
    </details>
  );
}

function useCache() {
  const [cache, setCache] = useState<CacheState | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(async () => {
    const reply = await hubRequest({ type: 'list' });
    if (reply.type === 'cache') setCache({ models: reply.models, storage: reply.storage });
    else if (reply.type === 'failed') setCache((c) => ({ models: c?.models ?? [], storage: c?.storage ?? {}, error: reply.message }));
  }, []);
  const remove = useCallback(async (repo: string, commit: string) => {
    setBusy(true);
    const reply = await hubRequest({ type: 'delete', repo, commit });
    setBusy(false);
    if (reply.type === 'cache') setCache({ models: reply.models, storage: reply.storage });
    else if (reply.type === 'failed') setCache((c) => ({ models: c?.models ?? [], storage: c?.storage ?? {}, error: reply.message }));
  }, []);
  useEffect(() => {
    let live = true;
    void hubRequest({ type: 'list' }).then((reply) => {
      if (live && reply.type === 'cache') setCache({ models: reply.models, storage: reply.storage });
    });
    return () => {
      live = false;
    };
  }, []);
  return { cache, refresh, remove, busy };
}

export function HubModelPicker({ edit }: { edit: ConfigEdit }) {
  const current = edit.config.model.id;
  const [candidate, setCandidate] = useState<string | null>(current.startsWith('hf:') ? current : null);
  const [typed, setTyped] = useState('');
  const [useError, setUseError] = useState<string | null>(null);
  const { cache, refresh, remove, busy } = useCache();
  const model = useHubModel(candidate, refresh);

  const choose = (id: string) => {
    setUseError(null);
    setCandidate(id);
  };
  return (
    <div className="hub-models" data-testid="hub-models">
      <h3>Models from the Hugging Face Hub</h3>
      <ul className="hub-curated">
        {CURATED_HUB_MODELS.map((m) => (
          <li key={m.id}>
            <button type="button" className={candidate === m.id ? 'selected' : ''} aria-pressed={candidate === m.id} onClick={() => choose(m.id)}>
              {m.name}
            </button>
            <span className="model-meta">
              {' '}~{formatParamCount(m.approxParams)} · {m.note}
            </span>
          </li>
        ))}
      </ul>
      <form
        className="hub-typed"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) choose(normaliseHubId(typed));
        }}
      >
        <label htmlFor="hub-repo">Any Hub repo</label>
        <input id="hub-repo" value={typed} placeholder="ORG/NAME or ORG/NAME@revision" onChange={(e) => setTyped(e.target.value)} spellCheck={false} />
        <button type="submit">Check</button>
      </form>
      <HubAccessFields />
      {candidate && (
        <HubModelCard
          modelId={candidate}
          inspect={model.inspect}
          download={model.download}
          selected={current === candidate}
          locked={edit.locked}
          onDownload={() => void model.start()}
          onCancel={model.cancel}
          onUse={() => setUseError(edit.commit(['model', 'id'], candidate))}
          useError={useError}
          edit={edit}
        />
      )}
      <CachedModels cache={cache} busy={busy} onDelete={(m) => void remove(m.repo, m.commit).then(() => model.recheck())} />
    </div>
  );
}
