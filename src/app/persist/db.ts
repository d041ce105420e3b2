// The saved-runs database (IndexedDB through idb): one record per run (its config, name, state, step), its metric
// points, warnings and kept rollouts as records of their own (so a step's writes are small and never rewrite the
// run), and the run's latest checkpoint (the two files of src/rl/checkpoint.ts, stored as they are, with a small info
// record beside it so the run list never loads tensors).
// Keys start with the run id, so one key range reads or deletes everything of a run.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { RunConfig } from '../../rl/config/schema.ts';
import type { StepRollouts } from '../../worker/protocol.ts';
import type { RunOutcome, RunWarning } from '../store/runs.ts';

export const DB_NAME = 'grpo-playground-runs';
const DB_VERSION = 1;

export interface StoredRun {
  id: string;
  name: string;
  color: string;
  config: RunConfig;
  state: RunOutcome;
  step: number;
  createdAt: number;
  updatedAt: number;
}

export interface StoredPoint {
  runId: string;
  kind: 'train' | 'eval';
  step: number;
  metrics: Record<string, number>;
}

export interface StoredWarning {
  runId: string;
  index: number;
  warning: RunWarning;
}

export interface StoredRollouts {
  runId: string;
  step: number;
  rollouts: StepRollouts;
}

export interface StoredCheckpoint {
  runId: string;
  step: number;
  json: string;
  tensors: Uint8Array;
  savedAt: number;
}

/** What the run list needs of a checkpoint, without loading its tensors. */
export interface StoredCheckpointInfo {
  runId: string;
  step: number;
  bytes: number;
  savedAt: number;
}

export interface RunsSchema extends DBSchema {
  runs: { key: string; value: StoredRun };
  points: { key: [string, string, number]; value: StoredPoint };
  warnings: { key: [string, number]; value: StoredWarning };
  rollouts: { key: [string, number]; value: StoredRollouts };
  checkpoints: { key: string; value: StoredCheckpoint };
  checkpointInfo: { key: string; value: StoredCheckpointInfo };
}

export type RunsDb = IDBPDatabase<RunsSchema>;

/** The stores that hold records of a run under keys [runId, ...]. */
export const PER_RUN_STORES = ['points', 'warnings', 'rollouts'] as const;

/** Every key that starts with `runId` (arrays sort after numbers and strings, so [runId, []] bounds them all). */
export function runKeyRange(runId: string): IDBKeyRange {
  return IDBKeyRange.bound([runId], [runId, []]);
}

let opening: Promise<RunsDb> | null = null;

/** The database, opened once per page (a failure, e.g. storage disabled, rejects every caller with it). */
export function runsDb(): Promise<RunsDb> {
  opening ??= openDB<RunsSchema>(DB_NAME, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('runs', { keyPath: 'id' });
      db.createObjectStore('points', { keyPath: ['runId', 'kind', 'step'] });
      db.createObjectStore('warnings', { keyPath: ['runId', 'index'] });
      db.createObjectStore('rollouts', { keyPath: ['runId', 'step'] });
      db.createObjectStore('checkpoints', { keyPath: 'runId' });
      db.createObjectStore('checkpointInfo', { keyPath: 'runId' });
    },
    blocking() {
      // A newer version of the page wants to upgrade: let it (this page keeps its runs in memory).
      void opening?.then((db) => db.close());
      opening = null;
    },
  });
  return opening;
}
