// The model panel: the bundled models from /models/index.json (name, parameter count, size, the tasks it
// was trained for, its measured step-0 scores), and models from the Hugging Face Hub (models/HubModelPicker);
// choosing one sets config.model.id. A catalogue that cannot be loaded says so, and the current model id still shows.
// Then the training mode (full fine-tuning or LoRA, LoraSettings) and the memory plan's verdict for the chosen model.
import { useEffect, useState } from 'react';
import { parseModelCatalog, type CatalogEntry } from '../../rl/model-catalog.ts';
import { formatBytes, formatParamCount, formatPercent } from './model-format.ts';
import type { ConfigEdit } from './useConfigEdit.ts';
import { HubModelPicker } from '../models/HubModelPicker.tsx';
import { BundledFitVerdicts } from '../models/BundledFitVerdicts.tsx';
import { LoraSettings } from './LoraSettings.tsx';

type CatalogState = { state: 'loading' } | { state: 'ready'; models: CatalogEntry[] } | { state: 'error'; message: string };

async function loadCatalog(): Promise<CatalogEntry[]> {
  let response: Response;
  try {
    response = await fetch('/models/index.json');
  } catch (e) {
    throw new Error(`could not reach models/index.json (${e instanceof Error ? e.message : String(e)})`, { cause: e });
  }
  if (!response.ok) throw new Error(`models/index.json: HTTP ${response.status}`);
  return parseModelCatalog(await response.text()).models;
}

function useCatalog(): CatalogState {
  const [catalog, setCatalog] = useState<CatalogState>({ state: 'loading' });
  useEffect(() => {
    let live = true;
    loadCatalog().then(
      (models) => live && setCatalog({ state: 'ready', models }),
      (e: unknown) => live && setCatalog({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return catalog;
}

function ModelOption({ model, selected, edit }: { model: CatalogEntry; selected: boolean; edit: ConfigEdit }) {
  const [error, setError] = useState<string | null>(null);
  const id = `model-${model.id}`;
  const baselines = Object.entries(model.baselines);
  return (
    <li className={`model-option${selected ? ' selected' : ''}`}>
      <input
        type="radio"
        id={id}
        name="model"
        value={model.id}
        checked={selected}
        disabled={edit.locked}
        aria-describedby={`${id}-details`}
        onChange={() => setError(edit.commit(['model', 'id'], model.id))}
      />
      <div>
        <label htmlFor={id} className="model-name">
          {model.name}
        </label>
        <p className="model-meta" id={`${id}-details`}>
          {formatParamCount(model.params)} parameters · {formatBytes(model.bytes)} · suits {model.tasks.join(', ')}
          {baselines.length > 0 && (
            <>
              {' · step 0: '}
              {baselines.map(([preset, b]) => `${formatPercent(b.evalAccuracy)} eval accuracy on ${preset}`).join(', ')}
            </>
          )}
        </p>
        <p className="model-description">{model.description}</p>
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </li>
  );
}

export function ModelPanel({ edit }: { edit: ConfigEdit }) {
  const catalog = useCatalog();
  const current = edit.config.model.id;
  return (
    <section className="panel config-panel" aria-labelledby="model-heading" data-testid="model-panel" data-committed={current}>
      <h2 id="model-heading">Model</h2>
      {catalog.state === 'loading' && <p className="empty">Loading the bundled models…</p>}
      {catalog.state === 'error' && (
        <p className="field-error" role="alert">
          The list of bundled models could not be loaded: {catalog.message}. The run uses model “{current}”.
        </p>
      )}
      {catalog.state === 'ready' && (
        <fieldset className="model-list">
          <legend className="visually-hidden">Bundled model</legend>
          <ul>
            {catalog.models.map((m) => (
              <ModelOption key={m.id} model={m} selected={m.id === current} edit={edit} />
            ))}
          </ul>
          {!catalog.models.some((m) => m.id === current) && (
            <p className="field-help">The run uses “{current}”, which is not a bundled model.</p>
          )}
        </fieldset>
      )}
      <div className="training-mode" data-testid="training-mode">
        <h3>Training mode and memory</h3>
        <LoraSettings edit={edit} />
        <BundledFitVerdicts edit={edit} />
      </div>
      <HubModelPicker edit={edit} />
    </section>
  );
}
