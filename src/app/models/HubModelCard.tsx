// One Hub model as the picker shows it before and while it downloads: parameters, download size, dtype, how the
// header was read, the fit verdicts per mode from the exact memory plan (FitVerdicts), the engine's refusal when its config
// cannot run, a Download button with progress and Cancel, and "Use this model". Every failure is one message.
import { formatBytes, formatParamCount } from '../panels/model-format.ts';
import type { ConfigEdit } from '../panels/useConfigEdit.ts';
import { FitVerdicts } from './FitVerdicts.tsx';
import { formatProgress } from './hub-format.ts';
import type { DownloadState, InspectState } from './useHubModel.ts';

interface CardProps {
  modelId: string;
  inspect: InspectState;
  download: DownloadState;
  selected: boolean;
  locked: boolean;
  onDownload: () => void;
  onCancel: () => void;
  onUse: () => void;
  useError: string | null;
  /** The run the verdicts are for (and its edits, to apply their advice). */
  edit: ConfigEdit;
}

export function HubModelCard({ modelId, inspect, download, selected, locked, onDownload, onCancel, onUse, useError, edit }: CardProps) {
  const info = inspect.state === 'ready' ? inspect.info : null;
  const running = download.state === 'running';
  return (
    <div className="hub-card" data-testid="hub-card" data-model={modelId} data-cached={info?.cached ? 'true' : 'false'}>
      <p className="model-name">{modelId.slice(3)}</p>
      {inspect.state === 'checking' && <p className="empty">Reading config.json and the weights' header…</p>}
      {inspect.state === 'failed' && (
        <p className="field-error" role="alert" data-testid="hub-error">
          {inspect.message}
        </p>
      )}
      {info && (
        <>
          {info.refusal ? (
            <p className="field-error" role="alert" data-testid="hub-refusal">
              This engine cannot run this model: {info.refusal}
            </p>
          ) : (
            <p className="model-meta" data-testid="hub-meta">
              {info.params !== null && `${formatParamCount(info.params)} parameters · `}
              {info.downloadBytes !== null ? `download ${formatBytes(info.downloadBytes)}` : 'download size unknown'}
              {info.dtypes && ` · stored as ${info.dtypes}`} · commit {info.commit.slice(0, 8)}
              {info.cached ? ' · in this browser\'s cache' : ''}
            </p>
          )}
          <p className="field-help">{info.online ? info.headerNote : 'The Hub cannot be reached: showing the cached copy.'}</p>
          {!info.refusal && info.modelConfig && <FitVerdicts modelConfig={info.modelConfig} run={edit.config} edit={edit} testId="hub-fit" />}
        </>
      )}
      {running && (
        <div className="hub-progress" data-testid="hub-progress">
          <progress max={download.progress?.total ?? 1} value={download.progress?.loaded ?? 0} aria-label={`Downloading ${modelId}`} />
          <span>{download.progress ? `${download.progress.file}: ${formatProgress(download.progress)}` : 'Starting…'}</span>
        </div>
      )}
      {download.state === 'failed' && (
        <p className={download.cancelled ? 'field-help' : 'field-error'} role={download.cancelled ? undefined : 'alert'} data-testid="hub-download-error">
          {download.message}
        </p>
      )}
      {download.state === 'done' && (
        <p className="field-help" data-testid="hub-downloaded">
          Saved in this browser{download.persisted ? ' (persistent storage granted)' : ' (the browser may evict it under storage pressure)'}.
        </p>
      )}
      {useError && (
        <p className="field-error" role="alert">
          {useError}
        </p>
      )}
      <div className="hub-actions">
        {info && !info.refusal && !info.cached && !running && (
          <button type="button" onClick={onDownload}>
            Download{info.downloadBytes !== null ? ` (${formatBytes(info.downloadBytes)})` : ''}
          </button>
        )}
        {running && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {info && !info.refusal && (
          <button type="button" onClick={onUse} disabled={locked || selected} aria-pressed={selected}>
            {selected ? 'Used by the run' : 'Use this model'}
          </button>
        )}
      </div>
    </div>
  );
}
