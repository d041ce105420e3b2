// When and how the run loop checkpoints: every N updates (N set by the page, 0 = never by count), and at Pause,
// Stop and the end. A checkpoint is the two files of src/rl/checkpoint.ts, posted to the page with the tensor
// bytes transferred (not copied); the page stores them and hands them back to resume (start-from-checkpoint).
import { CHECKPOINT_JSON, CHECKPOINT_TENSORS, checkpointFiles, readCheckpoint, type Checkpoint } from '../rl/checkpoint.ts';
import type { RunConfig } from '../rl/config/schema.ts';
import type { TrainerState } from '../rl/trainer.ts';
import type { CheckpointFiles, WorkerToUi } from './protocol.ts';

/** Default count when the page never says (the page sends its own setting right after `start`). */
export const DEFAULT_CHECKPOINT_EVERY = 10;

type Reason = Extract<WorkerToUi, { type: 'checkpoint' }>['reason'];

/** What a checkpoint needs from the trainer (an interface, so tests can drive the saver without one). */
export interface Checkpointable {
  readonly stepIndex: number;
  saveState(): Promise<TrainerState>;
}

export class CheckpointSaver {
  private every = DEFAULT_CHECKPOINT_EVERY;
  /** Step of the last checkpoint sent (or restored from): the same step is never sent twice. */
  private lastStep: number;
  /** The step-0 evaluation, carried by every checkpoint (for summaries of a resumed run). */
  firstEval: Record<string, number> | undefined;

  constructor(
    private readonly config: RunConfig,
    private readonly post: (message: WorkerToUi, transfer: Transferable[]) => void,
    resumedAt = -1,
  ) {
    this.lastStep = resumedAt;
  }

  setEvery(steps: number): void {
    this.every = Number.isInteger(steps) && steps >= 0 ? steps : DEFAULT_CHECKPOINT_EVERY;
  }

  /** After update `step`: is a count checkpoint due? */
  due(step: number): boolean {
    return this.every > 0 && step % this.every === 0;
  }

  async save(trainer: Checkpointable, reason: Reason): Promise<void> {
    const step = trainer.stepIndex;
    if (step === this.lastStep) return;
    this.lastStep = step;
    const files = checkpointFiles({ config: this.config, state: await trainer.saveState(), firstEval: this.firstEval });
    const checkpoint: CheckpointFiles = { json: files.get(CHECKPOINT_JSON) as string, tensors: files.get(CHECKPOINT_TENSORS) as Uint8Array };
    this.post({ type: 'checkpoint', step, reason, checkpoint }, [checkpoint.tensors.buffer]);
  }
}

/** Reads the page's copy of a checkpoint back (CheckpointError names what is wrong with it). */
export function readCheckpointFiles(files: CheckpointFiles): Checkpoint {
  return readCheckpoint(files.json, files.tensors);
}
