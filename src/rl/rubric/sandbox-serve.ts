// Inside a sandbox thread (sandbox-worker.ts in the browser, sandbox-worker-node.mjs in Node): run each job the
// host sends with the QuickJS engine and stream the results back, item by item (sandbox-protocol.ts).
import type { FromSandbox, SandboxJob, ToSandbox, WireResult } from './sandbox-protocol.ts';
import { checkCustomCodeHere, loadQuickJS, runCustomCodeHere, runRegexTestsHere, type EngineEvents } from './sandbox-quickjs.ts';

const wire = (r: number | boolean | Error): WireResult => (r instanceof Error ? { error: r.message } : { value: r });

async function runJob(id: number, job: SandboxJob, post: (m: FromSandbox) => void): Promise<void> {
  await loadQuickJS(job.limits.memoryLimitBytes);
  post({ type: 'begin', id });
  const events: EngineEvents = {
    item: (index, result) => post({ type: 'item', id, index, result: wire(result) }),
    compiled: () => post({ type: 'compiled', id }),
    reloading: (busy) => post(busy ? { type: 'loading', id } : { type: 'begin', id }),
  };
  if (job.kind === 'code') await runCustomCodeHere(job.code, job.calls, job.limits, events);
  else if (job.kind === 'regex') await runRegexTestsHere(job.pattern, job.flags, job.texts, job.limits, events);
  else return post({ type: 'done', id, problem: await checkCustomCodeHere(job.code, job.limits) });
  post({ type: 'done', id });
}

/** The thread's message handler: jobs run one after another, in the order they arrive. */
export function serveSandbox(post: (m: FromSandbox) => void): (m: ToSandbox) => void {
  let queue = Promise.resolve();
  return (m) => {
    if (m.type === 'warm') {
      queue = queue.then(() => loadQuickJS(m.memoryLimitBytes).then(() => {}, () => {})); // a failure shows at the first job
      return;
    }
    queue = queue.then(() =>
      runJob(m.id, m.job, post).catch((e: unknown) => post({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) })),
    );
  };
}
