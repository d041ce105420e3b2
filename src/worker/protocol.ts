// The typed messages between the UI thread and the trainer worker: one discriminated union per direction.
// Both sides switch on `type`; nothing else crosses the boundary (no tensors: metrics are plain numbers).
import type { RunConfig } from '../rl/config/schema.ts';

/** Which compute backend the user asked for: auto = a hardware WebGPU adapter if any, else the CPU. */
export type BackendPreference = 'auto' | 'webgpu' | 'cpu';

/** UI -> worker. */
export type UiToWorker =
  | { type: 'start'; config: RunConfig; backend: BackendPreference }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' };

/** The worker's run state, reported in every `status` message. */
export type RunState = 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'error';

/** Worker -> UI. */
export type WorkerToUi =
  /** `backend` names the device in use; `backendNote` says why it was chosen when that is not obvious. */
  | { type: 'status'; state: RunState; message?: string; backend?: string; backendNote?: string }
  /** Train metrics of one step, named as in TRL (`reward`, `reward_std`, `kl`, `loss`, ...). */
  | { type: 'metrics'; step: number; metrics: Record<string, number> }
  /** Evaluation metrics (`eval/reward`, `eval/accuracy`), at step 0 and at the end. */
  | { type: 'eval'; step: number; metrics: Record<string, number> }
  /** One completion of the step; model output is untrusted text. */
  | { type: 'sample'; step: number; prompt: string; completion: string; reward: number }
  /** A reward-hacking indicator fired (plain-language message for the user). */
  | { type: 'warning'; step: number; kind: string; message: string }
  | { type: 'error'; message: string };
