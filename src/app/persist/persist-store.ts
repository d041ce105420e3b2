// What the page shows about saved runs (a small zustand store of its own, apart from the run store): the one
// storage-failure message, storage used, each saved run's checkpoint step, and the checkpoint cadence setting.
import { create } from 'zustand';

export const CHECKPOINT_EVERY_KEY = 'grpo-playground.checkpoint-every';
export const DEFAULT_CHECKPOINT_EVERY = 10;

export interface StorageUsage {
  /** Bytes this origin uses (all storage, as navigator.storage.estimate reports it). */
  usage: number;
  quota: number;
}

export interface PersistState {
  /** Set once when a write fails (quota, private mode); training goes on in memory. Cleared by dismiss. */
  error: string | null;
  /** Saved runs finished loading from the database (the run list is complete). */
  restored: boolean;
  usage: StorageUsage | null;
  /** Run id -> step of its latest stored checkpoint. */
  checkpoints: Record<string, number>;
  /** Checkpoint every N steps (also at Pause, Stop and the end); 0 = only then. */
  checkpointEvery: number;
  setCheckpointEvery: (steps: number) => void;
  dismissError: () => void;
}

function savedCheckpointEvery(): number {
  try {
    const text = globalThis.localStorage?.getItem(CHECKPOINT_EVERY_KEY);
    const n = text ? Number(text) : NaN;
    return Number.isInteger(n) && n >= 0 ? n : DEFAULT_CHECKPOINT_EVERY;
  } catch {
    return DEFAULT_CHECKPOINT_EVERY;
  }
}

export const usePersist = create<PersistState>()((set) => ({
  error: null,
  restored: false,
  usage: null,
  checkpoints: {},
  checkpointEvery: savedCheckpointEvery(),
  setCheckpointEvery: (steps) => {
    const n = Math.max(0, Math.floor(steps));
    try {
      globalThis.localStorage?.setItem(CHECKPOINT_EVERY_KEY, String(n));
    } catch {
      // storage disabled: the setting lasts for this page only
    }
    set({ checkpointEvery: n });
  },
  dismissError: () => set({ error: null }),
}));

/** The one message for a failed write, naming the cause in plain words. */
export function storageErrorMessage(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const detail = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError') {
    return 'Saving runs failed: the browser gave this page no more storage (quota exceeded). Training goes on in memory; delete or export old runs to make room, or this run will not survive a reload.';
  }
  if (name === 'InvalidStateError' || name === 'SecurityError' || name === 'UnknownError') {
    return `Saving runs failed: this browser does not let the page store data (${name}; private browsing?). Training goes on in memory, but runs will not survive a reload.`;
  }
  return `Saving runs failed (${name || 'error'}: ${detail}). Training goes on in memory, but this run may not survive a reload.`;
}
