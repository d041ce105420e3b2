// The page's side of the rubric preview worker: one worker, made on first use; each request gets an id and
// only the latest one's answer is delivered, per channel (the rubric's preview and the assistant's proposals
// each have their own, so neither cancels the other). A request that takes too long (a judge that hangs) ends the
// worker, answers with a message, and the next request starts a fresh one.
import type { RunSecrets } from '../../worker/protocol.ts';
import type { PreviewRequest, PreviewResult, PreviewToUi, UiToPreview } from '../../worker/preview-protocol.ts';

export const PREVIEW_TIMEOUT_MS = 20_000;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (r: PreviewResult | null) => void; timer: ReturnType<typeof setTimeout>; channel: string }>();

function settle(id: number, result: PreviewResult | null): void {
  const p = pending.get(id);
  if (!p) return;
  clearTimeout(p.timer);
  pending.delete(id);
  p.resolve(result);
}

function ensureWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('../../worker/preview.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (event: MessageEvent<PreviewToUi>) => settle(event.data.id, event.data.result);
  w.onerror = (event) => {
    const error = `the preview worker failed: ${event.message || 'unknown error'}`;
    for (const id of [...pending.keys()]) settle(id, { ok: false, error });
    restart();
  };
  worker = w;
  return w;
}

function restart(): void {
  worker?.terminate();
  worker = null;
}

/**
 * Score a request in the worker. Resolves with the result, or null when a newer request replaced this one
 * (the caller then shows nothing from it).
 */
export function requestPreview(request: PreviewRequest, secrets?: RunSecrets, channel = 'rubric'): Promise<PreviewResult | null> {
  const id = nextId++;
  for (const [older, p] of [...pending]) if (p.channel === channel) settle(older, null);
  const message: UiToPreview = { type: 'score', id, request, secrets };
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      settle(id, { ok: false, error: `scoring took over ${PREVIEW_TIMEOUT_MS / 1000} s and was stopped` });
      restart();
    }, PREVIEW_TIMEOUT_MS);
    pending.set(id, { resolve, timer, channel });
    ensureWorker().postMessage(message);
  });
}
