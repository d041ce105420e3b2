// The saved-runs actions the page calls: open the database and restore the runs on page load, store a
// checkpoint the worker sent, delete a run, and resume a run from its checkpoint (the stored series are cut back
// to the checkpoint's step first, so the resumed steps replace what came after it).
import { useStore } from '../store.ts';
import type { RunRecord } from '../store/runs.ts';
import { isActive, nextRunNumber } from '../store/reduce.ts';
import type { CheckpointFiles } from '../../worker/protocol.ts';
import { PER_RUN_STORES, runKeyRange, type RunsDb } from './db.ts';
import { usePersist } from './persist-store.ts';
import { readSavedRuns } from './restore.ts';
import { enqueue, forgetRun, openedDb, refreshUsage, reportWriteError, setMarks, startWriter } from './writer.ts';

let started = false;

/** Once per page: restore the saved runs into the run list, then save as the runs change. */
export async function startPersisting(): Promise<void> {
  if (started) return;
  started = true;
  const db = await openedDb();
  if (!db) {
    usePersist.setState({ restored: true });
    return;
  }
  try {
    const saved = await readSavedRuns(db);
    useStore.setState((s) => mergeSaved(saved.runs, s.runs, s.currentRunId));
    usePersist.setState({ checkpoints: saved.checkpoints });
    startWriter(db, saved.runs, saved.createdAt);
  } catch (err) {
    reportWriteError(err);
  } finally {
    usePersist.setState({ restored: true });
    void refreshUsage(true);
  }
}

/**
 * Saved runs first, then the page's own. A run started before the saved ones came back (a fast click on Train)
 * may have taken a saved run's id: it is renumbered, so it never writes over the saved one.
 */
export function mergeSaved(saved: RunRecord[], live: RunRecord[], currentRunId: string | null): { runs: RunRecord[]; currentRunId: string | null } {
  const taken = new Set(saved.map((r) => r.id));
  let next = nextRunNumber([...saved, ...live]);
  let current = currentRunId;
  const renamed = live.map((r) => {
    if (r.reference || !taken.has(r.id)) return r;
    const id = `run-${next++}`;
    if (r.id === currentRunId) current = id;
    return { ...r, id };
  });
  return { runs: [...saved, ...renamed], currentRunId: current };
}

/** Store the worker's checkpoint of run `runId` (replacing its previous one, in one transaction). */
export function saveCheckpoint(runId: string, step: number, checkpoint: CheckpointFiles): void {
  // A moment later, so the step's metrics (still in the run slice's inbox) are written before the checkpoint.
  setTimeout(() => {
    enqueue(async (db) => {
      const tx = db.transaction(['checkpoints', 'checkpointInfo'], 'readwrite');
      const savedAt = Date.now();
      const bytes = checkpoint.tensors.byteLength + checkpoint.json.length;
      await Promise.all([
        tx.objectStore('checkpoints').put({ runId, step, json: checkpoint.json, tensors: checkpoint.tensors, savedAt }),
        tx.objectStore('checkpointInfo').put({ runId, step, bytes, savedAt }),
        tx.done,
      ]);
    }).then(
      () => usePersist.setState((s) => ({ checkpoints: { ...s.checkpoints, [runId]: step } })),
      reportWriteError,
    );
  }, 100);
}

/** Remove a finished run from the list and the database. */
export async function deleteRun(id: string): Promise<void> {
  const state = useStore.getState();
  const run = state.runs.find((r) => r.id === id);
  if (!run || run.reference || (state.currentRunId === id && isActive(state.status))) return;
  if (state.currentRunId === id) state.reset();
  useStore.setState((s) => ({ runs: s.runs.filter((r) => r.id !== id) }));
  forgetRun(id);
  usePersist.setState((s) => {
    const checkpoints = { ...s.checkpoints };
    delete checkpoints[id];
    return { checkpoints };
  });
  await enqueue((db) => deleteRecords(db, id)).catch(reportWriteError);
}

async function deleteRecords(db: RunsDb, id: string): Promise<void> {
  const tx = db.transaction(['runs', 'checkpoints', 'checkpointInfo', ...PER_RUN_STORES], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').delete(id),
    tx.objectStore('checkpoints').delete(id),
    tx.objectStore('checkpointInfo').delete(id),
    ...PER_RUN_STORES.map((name) => tx.objectStore(name).delete(runKeyRange(id))),
    tx.done,
  ]);
}

/** The stored checkpoint of a run, or null. */
export function readCheckpoint(id: string): Promise<{ step: number; checkpoint: CheckpointFiles } | null> {
  return enqueue(async (db) => {
    const c = await db.get('checkpoints', id);
    return c ? { step: c.step, checkpoint: { json: c.json, tensors: c.tensors } } : null;
  });
}

/** Resume run `id` from its checkpoint in a fresh worker; returns a message when it cannot. */
export async function resumeFromCheckpoint(id: string): Promise<string | null> {
  const state = useStore.getState();
  const run = state.runs.find((r) => r.id === id);
  if (!run || run.reference) return 'That run is not saved here.';
  if (isActive(state.status)) return 'A run is going: stop it before resuming another.';
  let saved: Awaited<ReturnType<typeof readCheckpoint>>;
  try {
    saved = await readCheckpoint(id);
  } catch (err) {
    return `Could not read the checkpoint: ${(err as Error).message}`;
  }
  if (!saved) return 'This run has no checkpoint to resume from.';
  const cut = cutBack(run, saved.step);
  await enqueue((db) => deleteAfter(db, id, saved.step)).catch(reportWriteError);
  useStore.setState((s) => ({ runs: s.runs.map((r) => (r.id === id ? cut : r)) }));
  setMarks(cut);
  useStore.getState().resumeFromCheckpoint(id, saved.checkpoint);
  return null;
}

/** The run as it was at its checkpoint's step. */
export function cutBack(run: RunRecord, step: number): RunRecord {
  return {
    ...run,
    step,
    train: run.train.filter((p) => p.step <= step),
    evals: run.evals.filter((p) => p.step <= step),
    warnings: run.warnings.filter((w) => w.step <= step),
    rollouts: run.rollouts.filter((r) => r.step <= step),
  };
}

async function deleteAfter(db: RunsDb, id: string, step: number): Promise<void> {
  const tx = db.transaction(['points', 'warnings', 'rollouts'], 'readwrite');
  const after = (prefix: (string | number)[]) => IDBKeyRange.bound([...prefix, step], [...prefix, Infinity], true, false);
  const warnings = await tx.objectStore('warnings').getAll(runKeyRange(id));
  await Promise.all([
    tx.objectStore('points').delete(after([id, 'train'])),
    tx.objectStore('points').delete(after([id, 'eval'])),
    tx.objectStore('rollouts').delete(after([id])),
    ...warnings.filter((w) => w.warning.step > step).map((w) => tx.objectStore('warnings').delete([id, w.index])),
    tx.done,
  ]);
}

/** Every saved metric point of a run (the store keeps a thinned copy), oldest first; null when not saved. */
export function readSavedSeries(id: string): Promise<{ train: RunRecord['train']; evals: RunRecord['evals'] } | null> {
  return enqueue(async (db) => {
    if (!(await db.get('runs', id))) return null;
    const points = (await db.getAll('points', runKeyRange(id))).sort((a, b) => a.step - b.step);
    const pick = (kind: 'train' | 'eval') => points.filter((p) => p.kind === kind).map((p) => ({ step: p.step, metrics: p.metrics }));
    return { train: pick('train'), evals: pick('eval') };
  });
}

/** Add an imported run (already checked) to the database and the run list as a new run; returns its id. */
export async function addImportedRun(run: RunRecord, checkpoint: (CheckpointFiles & { step: number }) | null): Promise<void> {
  const now = Date.now();
  await enqueue(async (db) => {
    const tx = db.transaction(['runs', 'checkpoints', 'checkpointInfo', ...PER_RUN_STORES], 'readwrite');
    const put: Promise<unknown>[] = [
      tx.objectStore('runs').put({ id: run.id, name: run.name, color: run.color, config: run.config, state: run.state, step: run.step, createdAt: now, updatedAt: now }),
      ...run.train.map((p) => tx.objectStore('points').put({ runId: run.id, kind: 'train', step: p.step, metrics: p.metrics })),
      ...run.evals.map((p) => tx.objectStore('points').put({ runId: run.id, kind: 'eval', step: p.step, metrics: p.metrics })),
      ...run.warnings.map((warning, index) => tx.objectStore('warnings').put({ runId: run.id, index, warning })),
      ...run.rollouts.map((r) => tx.objectStore('rollouts').put({ runId: run.id, step: r.step, rollouts: r })),
    ];
    if (checkpoint) {
      const { step, json, tensors } = checkpoint;
      put.push(tx.objectStore('checkpoints').put({ runId: run.id, step, json, tensors, savedAt: now }));
      put.push(tx.objectStore('checkpointInfo').put({ runId: run.id, step, bytes: tensors.byteLength + json.length, savedAt: now }));
    }
    await Promise.all([...put, tx.done]);
  });
}
