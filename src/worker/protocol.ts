// The typed messages between the UI thread and the trainer worker: one discriminated union per direction.
// Both sides switch on `type`; nothing else crosses the boundary (no tensors: metrics are plain numbers).
import type { RunConfig } from '../rl/config/schema.ts';

/** UI -> worker. */
export type UiToWorker =
  | { type: 'start'; config: RunConfig }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/** The worker's run state, reported in every `status` message. */
export type RunState = 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'error';

/** Worker -> UI. */
export type WorkerToUi =
  | { type: 'status'; state: RunState; message?: string; backend?: string }
  /** Train metrics of one step, named as in TRL (`reward`, `reward_std`, `kl`, `loss`, ...). */
  | { type: 'metrics'; step: number; metrics: Record<string, number> }
  /** Evaluation metrics (`eval/reward`, `eval/accuracy`), at step 0 and at the end. */
  | { type: 'eval'; step: number; metrics: Record<string, number> }
  /** One completion of the step; model output is untrusted text. */
  | { type: 'sample'; step: number; prompt: string; completion: string; reward: number }
  | { type: 'error'; message: string };
