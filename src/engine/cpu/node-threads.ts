// Node side of the CPU thread pool (pool.ts loads this module only in Node, by a specifier bundlers leave alone,
// so the browser bundle never sees node:worker_threads). Helpers are unref'd: they never keep a process alive.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FromThread, ToThread } from './thread.ts';
import type { Helper, HelperEvents } from './pool.ts';

export function cores(): number {
  return os.availableParallelism();
}

export function spawnHelper(index: number, events: HelperEvents): Helper {
  // execArgv: [] so a parent started with loader flags (tsx's --import) does not load them twice.
  const worker = new Worker(new URL('./thread-worker-node.mjs', import.meta.url), { execArgv: [], name: `cpu-thread-${index}` });
  worker.on('message', (msg: FromThread) => events.message(msg));
  worker.on('error', (e: Error) => events.fail(`CPU thread ${index} failed: ${e.message}`));
  worker.on('exit', (code: number) => events.fail(`CPU thread ${index} exited (code ${code})`));
  worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
  return {
    post: (msg: ToThread) => worker.postMessage(msg),
    terminate: () => void worker.terminate(),
  };
}
