// Entry of a sandbox thread in the browser: a module Web Worker started by sandbox-threads.ts (nested inside the
// trainer or preview worker, or from the page), terminated by it when reward code overruns its time limit.
/// <reference lib="webworker" />
import type { ToSandbox } from './sandbox-protocol.ts';
import { serveSandbox } from './sandbox-serve.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = serveSandbox((m) => scope.postMessage(m));
scope.onmessage = (event: MessageEvent<ToSandbox>) => handle(event.data);
