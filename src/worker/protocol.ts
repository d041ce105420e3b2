// The typed messages between the UI thread and the trainer worker: one discriminated union per direction.
// Both sides switch on `type`; nothing else crosses the boundary (no tensors: metrics are plain numbers,
// rollouts are plain text and numbers). Model output is untrusted text: the UI renders it as text only.
import type { RunConfig } from '../rl/config/schema.ts';

/** Which compute backend the user asked for: auto = a hardware WebGPU adapter if any, else the CPU. */
export type BackendPreference = 'auto' | 'webgpu' | 'cpu';

/** Values the run needs but that never go into a config or a share link. */
export interface RunSecrets {
  /** Bearer key for llm_judge criteria (sent only to the judge's endpoint). */
  judgeApiKey?: string;
  /** Hugging Face Hub endpoint for hf: models (default https://huggingface.co; a mirror or a local server). */
  hubEndpoint?: string;
  /** Hugging Face token for gated/private hf: models (sent only to the Hub endpoint). */
  hubToken?: string;
}

/** UI -> worker. */
export type UiToWorker =
  /**
   * Load the model, evaluate at step 0, then train. With `startPaused` the run stops in `paused` right after
   * the step-0 evaluation (the page's Step button on a fresh run).
   */
  | { type: 'start'; config: RunConfig; backend: BackendPreference; startPaused?: boolean; secrets?: RunSecrets }
  | { type: 'pause' }
  | { type: 'resume' }
  /** While paused: exactly one GRPO update (with its metrics, rollouts and any due eval), then paused again. */
  | { type: 'step' }
  /** Stop after the step in progress; then a final evaluation of that step unless `evaluate` is false. */
  | { type: 'stop'; evaluate?: boolean }
  // ---- runs that last (issue 13): checkpoints, resume, model export --------------------------------------
  /** Send a `checkpoint` every `steps` updates (0 = only at Pause, Stop and the end). */
  | { type: 'checkpoint-every'; steps: number }
  /** Like `start`, but continue a checkpointed run: restore its state and train on from its step (no step-0 eval). */
  | { type: 'start-from-checkpoint'; config: RunConfig; backend: BackendPreference; checkpoint: CheckpointFiles; secrets?: RunSecrets }
  /** Build the trained model's Hugging Face folder from a checkpoint (answered by `model-files` or `error`). */
  | { type: 'export-model'; config: RunConfig; checkpoint: CheckpointFiles; secrets?: RunSecrets; kind?: 'merged' | 'adapter' };

/** A checkpoint as its two files (src/rl/checkpoint.ts): the page stores them as they are, only the worker reads them. */
export interface CheckpointFiles {
  json: string;
  tensors: Uint8Array;
}

/** The worker's run state, reported in every `status` message. */
export type RunState = 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'error';

/** One token of a completion as the viewer shows it. */
export interface TokenView {
  /** The token's text (may be '' or whitespace; special tokens by name, e.g. '<|im_end|>'). */
  text: string;
  /** log p(token) under the policy that sampled it (the first optimisation pass); null for context tokens. */
  logprob: number | null;
  /** True when the token is in the loss (sampled by the policy and not masked by truncation/flat-group rules). */
  trained: boolean;
  /** False for tokens the policy did not write (environment/tool replies, chat-template markup). */
  generated: boolean;
}

/** One turn of a multi-turn rollout, in order. Environment turns are never trained on (masked). */
export interface TurnView {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** True for turns the loss ignores (every non-assistant turn). */
  masked: boolean;
}

export interface CompletionView {
  /** The text the rubric scored (the last assistant turn). */
  text: string;
  /** Every token after the prompt, in order (multi-turn: environment replies included, generated=false). */
  tokens: TokenView[];
  /** Rubric total (sum of weight * score). */
  reward: number;
  /** Group-relative advantage used in the loss for this completion. */
  advantage: number;
  /** Score per criterion name, in [0, 1] for most kinds, before weighting. */
  scores: Record<string, number>;
  truncated: boolean;
  /** Multi-turn tasks only: the whole conversation after the prompt, and the assistant turns taken. */
  turns?: TurnView[];
  numTurns?: number;
}

/** One prompt of the step with its G completions. */
export interface GroupView {
  prompt: string;
  /** The task's reference answer (shown to the user; never to the model). */
  answer: string;
  completions: CompletionView[];
  /** Group reward mean and (Bessel) std: the numbers GRPO normalises by. */
  rewardMean: number;
  rewardStd: number;
}

/** Every group of one step (the first sampling round when dynamic sampling redraws). */
export interface StepRollouts {
  step: number;
  groups: GroupView[];
  /** Rubric criteria in config order with their weights (to label score columns). */
  criteria: { name: string; kind: string; weight: number }[];
}

/** How the held-out answers changed since the run's step-0 evaluation (sent with each later `eval`). */
export interface HeldOutChange {
  fromStep: number;
  toStep: number;
  /** Held-out problems compared, wrong -> right, right -> wrong. */
  total: number;
  fixed: number;
  broken: number;
  /** One problem that went from wrong to right: its prompt, reference answer and the two completions. */
  example?: { prompt: string; answer: string; before: string; after: string };
}

/** Worker -> UI. */
export type WorkerToUi =
  /** `backend` names the device in use; `backendNote` says why it was chosen when that is not obvious. */
  | { type: 'status'; state: RunState; message?: string; backend?: string; backendNote?: string }
  /** Train metrics of one step, named as in TRL (`reward`, `reward_std`, `kl`, `loss`, ...). */
  | { type: 'metrics'; step: number; metrics: Record<string, number> }
  /** Evaluation metrics (`eval/reward`, `eval/accuracy`): at step 0, every `eval.every` steps and at the end. */
  | { type: 'eval'; step: number; metrics: Record<string, number>; heldOut?: HeldOutChange }
  /** One completion of the step; model output is untrusted text. */
  | { type: 'sample'; step: number; prompt: string; completion: string; reward: number }
  /** The step's rollouts (groups x G completions with tokens, scores, advantages). Sent after `metrics`. */
  | { type: 'rollouts'; rollouts: StepRollouts }
  /** A reward-hacking indicator fired (plain-language message for the user). */
  | { type: 'warning'; step: number; kind: string; message: string }
  | { type: 'error'; message: string }
  /** A checkpoint of the run at `step` (its tensors are transferred): every N steps, at Pause, Stop and the end. */
  | { type: 'checkpoint'; step: number; reason: 'every' | 'pause' | 'stop' | 'done'; checkpoint: CheckpointFiles }
  /** The answer to `export-model`: the folder's files, name -> bytes. */
  | { type: 'model-files'; files: [string, Uint8Array][] };
