// Entry of a CPU helper thread in the browser: a nested module Web Worker started by pool.ts from inside the
// trainer worker (only where the page is cross-origin isolated, so SharedArrayBuffer exists).
/// <reference lib="webworker" />
import { serveThread, type ToThread } from './thread.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const thread = serveThread((msg) => scope.postMessage(msg));
scope.onmessage = (event: MessageEvent<ToThread>) => thread.onMessage(event.data);
