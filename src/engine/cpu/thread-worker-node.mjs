// Entry of a CPU helper thread in Node (worker_threads, started by node-threads.ts): registers tsx so the
// TypeScript kernels load the same way under the tsx-based CLI, the bench and Vitest, then serves the pool.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serveThread } = await import('./thread.ts');
const thread = serveThread((msg) => parentPort.postMessage(msg));
// A thread that exits mid-job (process.exit, an out-of-memory abort) marks itself dead so the caller stops waiting.
process.on('exit', () => thread.onExit());
parentPort.on('message', (msg) => thread.onMessage(msg));
