// What to write for a run since the last write: pure, so the incremental rule is tested without IndexedDB.
// The store's series are thinned (every other point once full) and its rollouts too; the database keeps every
// point the page received (only new steps are written, nothing is rewritten) and the same thinned rollouts
// (new steps written, steps the store dropped deleted).
import type { RunRecord } from '../store/runs.ts';
import type { StoredPoint, StoredRollouts, StoredRun, StoredWarning } from './db.ts';

/** How far a run has been written. */
export interface WrittenMarks {
  /** The meta fields last written (name, state, step), as one string to compare. */
  meta: string;
  trainStep: number;
  evalStep: number;
  warnings: number;
  rolloutSteps: ReadonlySet<number>;
}

export interface RunWrites {
  runId: string;
  run: StoredRun | null;
  points: StoredPoint[];
  warnings: StoredWarning[];
  rollouts: StoredRollouts[];
  deleteRolloutSteps: number[];
}

export const NOTHING_WRITTEN: WrittenMarks = { meta: '', trainStep: -1, evalStep: -1, warnings: 0, rolloutSteps: new Set() };

/** Marks for a run restored from the database (everything it holds counts as written). */
export function marksOf(run: RunRecord): WrittenMarks {
  return {
    meta: metaKey(run),
    trainStep: run.train.at(-1)?.step ?? -1,
    evalStep: run.evals.at(-1)?.step ?? -1,
    warnings: run.warnings.length,
    rolloutSteps: new Set(run.rollouts.map((r) => r.step)),
  };
}

function metaKey(run: RunRecord): string {
  return JSON.stringify([run.name, run.state, run.step]);
}

export function isEmpty(w: RunWrites): boolean {
  return !w.run && w.points.length + w.warnings.length + w.rollouts.length + w.deleteRolloutSteps.length === 0;
}

export function runWrites(run: RunRecord, marks: WrittenMarks, createdAt: number, now: number): { writes: RunWrites; marks: WrittenMarks } {
  const meta = metaKey(run);
  const stored: StoredRun | null =
    meta === marks.meta
      ? null
      : { id: run.id, name: run.name, color: run.color, config: run.config, state: run.state, step: run.step, createdAt, updatedAt: now };
  const points: StoredPoint[] = [
    ...run.train.filter((p) => p.step > marks.trainStep).map((p) => ({ runId: run.id, kind: 'train' as const, step: p.step, metrics: p.metrics })),
    ...run.evals.filter((p) => p.step > marks.evalStep).map((p) => ({ runId: run.id, kind: 'eval' as const, step: p.step, metrics: p.metrics })),
  ];
  const warnings = run.warnings.slice(marks.warnings).map((warning, i) => ({ runId: run.id, index: marks.warnings + i, warning }));
  const keptSteps = new Set(run.rollouts.map((r) => r.step));
  const rollouts = run.rollouts.filter((r) => !marks.rolloutSteps.has(r.step)).map((r) => ({ runId: run.id, step: r.step, rollouts: r }));
  const deleteRolloutSteps = [...marks.rolloutSteps].filter((s) => !keptSteps.has(s));
  return {
    writes: { runId: run.id, run: stored, points, warnings, rollouts, deleteRolloutSteps },
    marks: {
      meta,
      trainStep: Math.max(marks.trainStep, run.train.at(-1)?.step ?? -1),
      evalStep: Math.max(marks.evalStep, run.evals.at(-1)?.step ?? -1),
      warnings: Math.max(marks.warnings, run.warnings.length),
      rolloutSteps: keptSteps,
    },
  };
}
