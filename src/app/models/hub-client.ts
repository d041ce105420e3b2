// The page's side of the Hub worker: one worker for the page, requests paired with replies by id. Each call
// returns a promise of its final reply and streams progress to a callback; cancel(id) stops a download.
import type { HubToUi, UiToHub } from '../../worker/hub-protocol.ts';

type Final = Exclude<HubToUi, { type: 'progress' }>;
type Progress = Extract<HubToUi, { type: 'progress' }>;
type Request = UiToHub extends infer U ? (U extends { id: number } ? Omit<U, 'id'> : never) : never;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (m: Final) => void; onProgress?: (p: Progress) => void }>();

function hubWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('../../worker/hub.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<HubToUi>) => {
    const m = event.data;
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === 'progress') p.onProgress?.(m);
    else {
      pending.delete(m.id);
      p.resolve(m);
    }
  };
  worker.onerror = (event) => {
    for (const [id, p] of pending) p.resolve({ type: 'failed', id, message: `the Hub worker failed: ${event.message}` });
    pending.clear();
  };
  return worker;
}

/** Send a request; `started` receives its id at once (for cancel). */
export function hubRequest(req: Request, onProgress?: (p: Progress) => void, started?: (id: number) => void): Promise<Final> {
  const id = nextId++;
  started?.(id);
  return new Promise((resolve) => {
    pending.set(id, { resolve, onProgress });
    hubWorker().postMessage({ ...req, id } as UiToHub);
  });
}

export function cancelHubRequest(id: number): void {
  worker?.postMessage({ type: 'cancel', id } satisfies UiToHub);
}
