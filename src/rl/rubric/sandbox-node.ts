// Node side of the sandbox threads (sandbox-threads.ts loads this module only in Node, by a specifier bundlers
// leave alone, so the browser bundle never sees node:worker_threads). Idle threads are unref'd: they never keep
// a process alive; a thread with a job is ref'd, so the process waits for its answer.
import { Worker } from 'node:worker_threads';
import type { FromSandbox, ToSandbox } from './sandbox-protocol.ts';
import type { SandboxPort, SandboxPortEvents } from './sandbox-threads.ts';

/** V8 heap of a sandbox thread (its arguments and messages; the QuickJS heap is WebAssembly memory, capped apart). */
const THREAD_HEAP_MB = 256;

export function spawnSandboxThread(events: SandboxPortEvents): SandboxPort {
  // execArgv: [] so a parent started with loader flags (tsx's --import) does not load them twice.
  const worker = new Worker(new URL('./sandbox-worker-node.mjs', import.meta.url), {
    execArgv: [],
    name: 'sandbox',
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
  });
  let ended = false;
  worker.on('message', (m: FromSandbox) => events.message(m));
  worker.on('error', (e: Error) => events.fail(e.message));
  worker.on('exit', (code: number) => {
    if (!ended) events.fail(`the sandbox thread exited (code ${code})`);
  });
  worker.unref(); // after the listeners: adding a 'message' listener refs the worker again
  return {
    post: (m: ToSandbox) => worker.postMessage(m),
    terminate: () => {
      ended = true;
      void worker.terminate();
    },
    hold: (busy) => (busy ? worker.ref() : worker.unref()),
  };
}
