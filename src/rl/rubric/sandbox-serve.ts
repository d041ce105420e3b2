// Inside a sandbox thread (sandbox-worker.ts in the browser, sandbox-worker-node.mjs in Node): run each job the
// host sends with the QuickJS engine and stream the results back, item by item (sandbox-protocol.ts).
import { clockViews, epochMs, type FromSandbox, type SandboxJob, type ToSandbox, type WireResult } from './sandbox-protocol.ts';
import { checkCustomCodeHere, loadQuickJS, runCustomCodeHere, runRegexTestsHere, type EngineEvents } from './sandbox-quickjs.ts';

/** Record in the job's clock that item `index` starts now (the time first, then the count, which publishes it). */
function startedOn(clock: SharedArrayBuffer): (index: number) => void {
  const { started, at } = clockViews(clock);
  return (index) => {
    at[0] = epochMs();
    Atomics.store(started, 0, index + 1);
  };
}

const wire = (r: number | boolean | Error): WireResult => (r instanceof Error ? { error: r.message } : { value: r });

async function runJob(id: number, job: SandboxJob, post: (m: FromSandbox) => void, clock?: SharedArrayBuffer): Promise<void> {
  await loadQuickJS(job.limits.memoryLimitBytes);
  post({ type: 'begin', id });
  const events: EngineEvents = {
    item: (index, result) => {
      if (clock) Atomics.store(clockViews(clock).started, 1, index + 1);
      post({ type: 'item', id, index, result: wire(result) });
    },
    compiled: () => post({ type: 'compiled', id }),
    started: clock ? startedOn(clock) : undefined,
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
      runJob(m.id, m.job, post, m.clock).catch((e: unknown) => post({ type: 'failed', id: m.id, message: e instanceof Error ? e.message : String(e) })),
    );
  };
}
