// Reads the saved runs back into RunRecords when the page opens: metric points thinned as the live store thins
// them, rollouts and warnings as stored. A run that was still going when the page went away is 'interrupted'
// (its worker is gone); it can resume from its checkpoint.
import { isActive } from '../store/reduce.ts';
import { appendDownsampled, type MetricPoint, type RunRecord } from '../store/runs.ts';
import { runKeyRange, type RunsDb, type StoredPoint, type StoredRun } from './db.ts';

export interface SavedRuns {
  runs: RunRecord[];
  createdAt: Map<string, number>;
  /** Run id -> step of its checkpoint. */
  checkpoints: Record<string, number>;
}

function series(points: StoredPoint[], kind: StoredPoint['kind']): MetricPoint[] {
  let out: MetricPoint[] = [];
  for (const p of points) if (p.kind === kind) out = appendDownsampled(out, { step: p.step, metrics: p.metrics });
  return out;
}

export async function readSavedRuns(db: RunsDb): Promise<SavedRuns> {
  const stored = (await db.getAll('runs')).sort((a, b) => a.createdAt - b.createdAt);
  const infos = await db.getAll('checkpointInfo');
  const runs = await Promise.all(stored.map((s) => readRun(db, s)));
  return {
    runs,
    createdAt: new Map(stored.map((s) => [s.id, s.createdAt])),
    checkpoints: Object.fromEntries(infos.map((i) => [i.runId, i.step])),
  };
}

async function readRun(db: RunsDb, s: StoredRun): Promise<RunRecord> {
  const range = runKeyRange(s.id);
  const [points, warnings, rollouts] = await Promise.all([db.getAll('points', range), db.getAll('warnings', range), db.getAll('rollouts', range)]);
  // Keys sort by step within a kind; sort anyway so the series never depends on key order.
  points.sort((a, b) => a.step - b.step);
  return {
    id: s.id,
    name: s.name,
    color: s.color,
    reference: false,
    config: s.config,
    state: isActive(s.state) ? 'interrupted' : s.state,
    step: s.step,
    train: series(points, 'train'),
    evals: series(points, 'eval'),
    warnings: warnings.sort((a, b) => a.index - b.index).map((w) => w.warning),
    rollouts: rollouts.sort((a, b) => a.step - b.step).map((r) => r.rollouts),
  };
}
