// State of one Hub model in the picker: its inspection (asked of the Hub worker: config, sizes, dtype) and its
// download (progress, Cancel, the one message of a failure). A new candidate resets both.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HubInspection } from '../../worker/hub-protocol.ts';
import { cancelHubRequest, hubRequest } from './hub-client.ts';
import { hubAccess } from './hub-settings.ts';

export type InspectState = { state: 'idle' } | { state: 'checking' } | { state: 'ready'; info: HubInspection } | { state: 'failed'; message: string };

export interface DownloadProgress {
  file: string;
  loaded: number;
  total?: number;
  bytesPerSecond: number;
  etaSeconds?: number;
}

export type DownloadState =
  | { state: 'idle' }
  | { state: 'running'; id: number; progress: DownloadProgress | null }
  | { state: 'done'; persisted?: boolean }
  | { state: 'failed'; message: string; cancelled?: boolean };

export function useHubModel(modelId: string | null, onCacheChanged: () => void) {
  const [inspect, setInspect] = useState<InspectState>({ state: 'idle' });
  const [download, setDownload] = useState<DownloadState>({ state: 'idle' });
  const current = useRef(modelId);

  const check = useCallback(async (id: string) => {
    setInspect({ state: 'checking' });
    const reply = await hubRequest({ type: 'inspect', modelId: id, access: hubAccess() });
    if (current.current !== id) return;
    if (reply.type === 'inspected') setInspect({ state: 'ready', info: reply.inspection });
    else if (reply.type === 'failed') setInspect({ state: 'failed', message: reply.message });
  }, []);

  useEffect(() => {
    current.current = modelId;
    setDownload({ state: 'idle' });
    if (modelId) void check(modelId);
    else setInspect({ state: 'idle' });
  }, [modelId, check]);

  const start = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    let requestId = 0;
    const reply = await hubRequest(
      { type: 'download', modelId: id, access: hubAccess() },
      (p) => setDownload({ state: 'running', id: requestId, progress: p }),
      (rid) => {
        requestId = rid;
        setDownload({ state: 'running', id: rid, progress: null });
      },
    );
    if (current.current !== id) return;
    if (reply.type === 'downloaded') {
      // Ask here too: some browsers grant persistence only to the page, not to workers.
      const persisted = await navigator.storage?.persist?.().catch(() => undefined);
      setDownload({ state: 'done', persisted: persisted ?? reply.persisted });
      void check(id);
    } else if (reply.type === 'failed') setDownload({ state: 'failed', message: reply.message, cancelled: reply.cancelled });
    onCacheChanged();
  }, [check, onCacheChanged]);

  const cancel = useCallback(() => {
    setDownload((d) => {
      if (d.state === 'running') cancelHubRequest(d.id);
      return d;
    });
  }, []);

  return { inspect, download, start, cancel, recheck: () => current.current && void check(current.current) };
}
