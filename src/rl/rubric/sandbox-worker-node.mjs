// Entry of a sandbox thread in Node (worker_threads, started by sandbox-node.ts): registers tsx so the TypeScript
// engine loads the same way under the tsx-based CLI and Vitest, then serves the host's jobs.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveSandbox } = await import('./sandbox-serve.ts');
const handle = serveSandbox((m) => parentPort.postMessage(m));
parentPort.on('message', (m) => handle(m));
