// Writes the run store to IndexedDB as it changes: after each store update, what changed since the last write
// (run-diff.ts) goes out in one small transaction; one transaction at a time, the next one computed from the
// newest state (so a fast run coalesces its updates, and nothing is ever rewritten whole). Other tasks (a
// checkpoint, a delete) queue behind the pending series writes. A failed write sets the one storage message
// (persist-store.ts) and training goes on; the unwritten part is retried with the next update.
import { useStore } from '../store.ts';
import type { RunRecord } from '../store/runs.ts';
import { runsDb, type RunsDb } from './db.ts';
import { usePersist, storageErrorMessage } from './persist-store.ts';
import { isEmpty, marksOf, NOTHING_WRITTEN, runWrites, type RunWrites, type WrittenMarks } from './run-diff.ts';

const marks = new Map<string, WrittenMarks>();
const createdAt = new Map<string, number>();
/** The run objects last written (the store replaces a run's object when it changes). */
const lastSeen = new Map<string, RunRecord>();
const tasks: ((db: RunsDb) => Promise<void>)[] = [];
let db: RunsDb | null = null;
let dirty = false;
let draining = false;
let lastEstimate = 0;
const ESTIMATE_EVERY_MS = 2000;

/** Start writing (after the saved runs are in the store). */
export function startWriter(opened: RunsDb, restored: RunRecord[], created: Map<string, number>): void {
  db = opened;
  for (const run of restored) {
    setMarks(run);
    createdAt.set(run.id, created.get(run.id) ?? Date.now());
  }
  useStore.subscribe(() => schedule());
  schedule();
}

/** Everything of `run` as it is now counts as written (restored, or cut back to a checkpoint). */
export function setMarks(run: RunRecord): void {
  marks.set(run.id, marksOf(run));
  lastSeen.set(run.id, run);
}

/** A run leaves the database: forget it here too. */
export function forgetRun(id: string): void {
  marks.delete(id);
  lastSeen.delete(id);
  createdAt.delete(id);
}

/** Queue a database task behind the pending writes; resolves (or rejects) with it. */
export function enqueue<T>(task: (db: RunsDb) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    tasks.push(async (d) => {
      try {
        resolve(await task(d));
      } catch (err) {
        reject(err);
      }
    });
    schedule(false);
  });
}

function schedule(seriesChanged = true): void {
  if (seriesChanged) dirty = true;
  if (!draining && db) void drain(db);
}

async function drain(d: RunsDb): Promise<void> {
  draining = true;
  try {
    while (dirty || tasks.length > 0) {
      if (dirty) {
        dirty = false;
        await writeChanges(d);
      }
      const task = tasks.shift();
      if (task) await task(d);
    }
  } finally {
    draining = false;
  }
  void refreshUsage();
}

async function writeChanges(d: RunsDb): Promise<void> {
  const now = Date.now();
  const batch: { run: RunRecord; writes: RunWrites; marks: WrittenMarks }[] = [];
  for (const run of useStore.getState().runs) {
    if (run.reference || lastSeen.get(run.id) === run) continue;
    if (!createdAt.has(run.id)) createdAt.set(run.id, now);
    const r = runWrites(run, marks.get(run.id) ?? NOTHING_WRITTEN, createdAt.get(run.id)!, now);
    if (isEmpty(r.writes)) lastSeen.set(run.id, run);
    else batch.push({ run, ...r });
  }
  if (batch.length === 0) return;
  try {
    await writeBatch(d, batch.map((b) => b.writes));
    for (const b of batch) {
      marks.set(b.run.id, b.marks);
      lastSeen.set(b.run.id, b.run);
    }
  } catch (err) {
    reportWriteError(err);
  }
}

async function writeBatch(d: RunsDb, all: RunWrites[]): Promise<void> {
  const tx = d.transaction(['runs', 'points', 'warnings', 'rollouts'], 'readwrite');
  const requests: Promise<unknown>[] = [];
  for (const w of all) {
    if (w.run) requests.push(tx.objectStore('runs').put(w.run));
    for (const p of w.points) requests.push(tx.objectStore('points').put(p));
    for (const x of w.warnings) requests.push(tx.objectStore('warnings').put(x));
    for (const r of w.rollouts) requests.push(tx.objectStore('rollouts').put(r));
    for (const step of w.deleteRolloutSteps) requests.push(tx.objectStore('rollouts').delete([w.runId, step]));
  }
  // Every request's rejection is caught here (a quota abort fails them all), then the transaction's outcome.
  await Promise.allSettled(requests);
  await tx.done;
}

/** The one storage message (kept until dismissed: a full disk fails every later write the same way). */
export function reportWriteError(err: unknown): void {
  if (!usePersist.getState().error) usePersist.setState({ error: storageErrorMessage(err) });
  console.warn('saving runs failed', err);
}

export async function refreshUsage(force = false): Promise<void> {
  const now = Date.now();
  if (!force && now - lastEstimate < ESTIMATE_EVERY_MS) return;
  lastEstimate = now;
  try {
    const e = await navigator.storage?.estimate?.();
    if (e) usePersist.setState({ usage: { usage: e.usage ?? 0, quota: e.quota ?? 0 } });
  } catch {
    // estimate unavailable: the storage line stays as it was
  }
}

/** The database if the page could open it (null in browsers that refuse storage). */
export async function openedDb(): Promise<RunsDb | null> {
  try {
    return await runsDb();
  } catch (err) {
    reportWriteError(err);
    return null;
  }
}
