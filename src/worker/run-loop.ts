// One GRPO run driven by UI messages, independent of the Web Worker global so it runs in Node tests: load ->
// eval at step 0 -> train (pause / step / resume / stop between steps) -> final eval -> done. Messages go out
// through an injected `post`, per-step ones throttled (ui-throttle.ts). Evaluations run at step 0, every
// `eval.every` steps and after the last step (also after a Stop, unless declined), never twice for the same
// step; each later one says how the held-out answers changed since step 0. Every failure becomes an `error`
// message with the judge key redacted.
import type { Backend } from '../engine/backend.ts';
import type { LoadedModel } from '../engine/io/model-folder.ts';
import type { RunConfig } from '../rl/config/schema.ts';
import type { HackingEvent } from '../rl/hacking.ts';
import { fixedJudgeKeyProvider } from '../rl/rubric/judge-key.ts';
import { Trainer } from '../rl/trainer.ts';
import type { BackendPreference, RunSecrets, RunState, WorkerToUi } from './protocol.ts';
import { stepRollouts } from './rollout-views.ts';
import { heldOutChange, type ScoredAnswer } from './held-out-change.ts';
import { realClock, UiThrottle, type Clock } from './ui-throttle.ts';
import { CheckpointSaver, readCheckpointFiles } from './checkpoint-saver.ts';
import type { CheckpointFiles } from './protocol.ts';

export interface LoadedRun {
  model: LoadedModel;
  backend: Backend;
  /** The device's name, and why it was chosen when that is not obvious. */
  deviceName: string;
  backendNote?: string;
}

export interface RunLoopDeps {
  /** `transfer` lists buffers to move instead of copying (a checkpoint's tensors). */
  post: (message: WorkerToUi, transfer?: Transferable[]) => void;
  /** Loads the model folder and picks the backend; `progress` reports a loading message. */
  load: (config: RunConfig, preference: BackendPreference, progress: (message: string) => void) => Promise<LoadedRun>;
  clock?: Clock;
}

export interface StartOptions {
  config: RunConfig;
  backend: BackendPreference;
  startPaused?: boolean;
  secrets?: RunSecrets;
  /** Continue this checkpoint of the same run instead of starting at step 0 (issue 13). */
  resume?: CheckpointFiles;
}

/** Whether evaluation is due after update `step` (1-based) of a run of `steps` (the end has its own eval). */
export function evalDueAfter(step: number, steps: number, every: number): boolean {
  return every > 0 && step % every === 0 && step < steps;
}

export class RunLoop {
  private state: RunState = 'loading';
  /** The last status sent (state and message), to skip repeating it. */
  private lastStatus = '';
  private paused = false;
  private stopped = false;
  /** Stop runs a final evaluation of the last step unless the person declined it. */
  private evaluateOnStop = true;
  /** `step` requests not yet run (each is one update while paused). */
  private stepsRequested = 0;
  /** Resolves the pending wait while paused, if any. */
  private wake: (() => void) | null = null;
  private readonly throttle: UiThrottle;
  private secret = '';
  /** Checkpoint cadence asked for before the saver exists (checkpoint-every may arrive before the model loads). */
  private checkpointEvery: number | null = null;
  private saver: CheckpointSaver | null = null;

  constructor(private readonly deps: RunLoopDeps) {
    this.throttle = new UiThrottle((m) => deps.post(m), deps.clock ?? realClock);
  }

  /** Pause after the current step. */
  pause(): void {
    if (!this.stopped) this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.stepsRequested = 0;
    this.wake?.();
  }

  /** One update, when paused (or about to pause); otherwise says why nothing happens. */
  step(): void {
    if (this.stopped || this.state === 'done' || this.state === 'error') return;
    if (!this.paused) {
      this.status(this.state, 'Step works while paused: pause first, or let the run continue.');
      return;
    }
    this.stepsRequested++;
    this.wake?.();
  }

  /** Checkpoint every `steps` updates (0 = only at Pause, Stop and the end). */
  setCheckpointEvery(steps: number): void {
    this.checkpointEvery = steps;
    this.saver?.setEvery(steps);
  }

  /** Stop after the step in progress, then evaluate that step unless `evaluate` is false. */
  stop(evaluate = true): void {
    this.stopped = true;
    this.evaluateOnStop = evaluate;
    this.wake?.();
  }

  /** Runs the whole run; never throws (failures are reported as `error`). */
  async run(options: StartOptions): Promise<void> {
    this.secret = options.secrets?.judgeApiKey?.trim() ?? '';
    if (options.startPaused) this.paused = true;
    try {
      await this.train(options);
    } catch (err) {
      this.reportError(err);
    }
  }

  private async train({ config, backend: preference, secrets, resume }: StartOptions): Promise<void> {
    const modelId = config.model.id;
    this.status('loading', `Loading model ${modelId}…`);
    const { model, backend, deviceName, backendNote } = await this.deps.load(config, preference, (m) => this.status('loading', m));
    const device = { backend: deviceName, backendNote };
    this.status('loading', `Loaded ${modelId}`, device);
    const trainer = await Trainer.create(config, model, backend, { judgeKey: fixedJudgeKeyProvider(secrets?.judgeApiKey) });
    // Runs that last: restore a checkpoint's state, and checkpoint as the run goes (checkpoint-saver.ts).
    const restored = resume ? readCheckpointFiles(resume) : null;
    if (restored) trainer.restoreState(restored.state);
    const saver = new CheckpointSaver(config, this.deps.post, restored ? restored.state.step : -1);
    saver.firstEval = restored?.firstEval;
    if (this.checkpointEvery !== null) saver.setEvery(this.checkpointEvery);
    this.saver = saver;
    const checkpoint = async (reason: 'every' | 'pause' | 'stop' | 'done') => {
      this.throttle.flush(); // the page gets the step's metrics before its checkpoint
      await saver.save(trainer, reason);
    };
    this.status('ready', `Loaded ${modelId}`, device);
    if (this.stopped) return this.status('done', 'Stopped before training');

    let lastEval = restored ? restored.state.step : -1;
    // The step-0 answers, to say which held-out problems each later evaluation got right that it did not.
    let baseline: ScoredAnswer[] | null = null;
    const runEval = async (message: string) => {
      this.status('training', message, { backend: deviceName });
      const result = await trainer.evaluate();
      lastEval = trainer.stepIndex;
      if (trainer.stepIndex === 0) baseline = result.samples;
      const heldOut = baseline && trainer.stepIndex > 0 ? heldOutChange(baseline, 0, result.samples, trainer.stepIndex) : null;
      this.send({ type: 'eval', step: trainer.stepIndex, metrics: result.metrics, ...(heldOut ? { heldOut } : {}) });
      this.warn(result.events);
      return result;
    };
    if (!restored) {
      const before = await runEval('Evaluating before training…');
      saver.firstEval = before.metrics;
      if (before.samples[0]) this.send(sample(0, before.samples[0]));
    }

    const criteria = trainer.rubric.criteria;
    const tokenizer = trainer.tokenizer;
    while (trainer.stepIndex < config.steps && !this.stopped) {
      if (this.paused && this.stepsRequested === 0) {
        await checkpoint('pause');
        this.status('paused', `Paused at step ${trainer.stepIndex}`);
        await this.waitWhilePaused();
        if (this.stopped) break;
      }
      const singleStep = this.paused; // asked for by `step`
      if (singleStep) this.stepsRequested--;
      // Only changes are reported: a status message flushes the throttle (ui-throttle.ts).
      const message = singleStep ? `One step from step ${trainer.stepIndex}…` : undefined;
      if (this.lastStatus !== statusKey('training', message)) this.status('training', message, { backend: deviceName });

      const result = await trainer.step();
      const messages: WorkerToUi[] = [{ type: 'metrics', step: result.step, metrics: result.metrics }];
      if (result.samples[0]) messages.push(sample(result.step, result.samples[0]));
      this.throttle.metrics(messages);
      this.throttle.rollouts(() => stepRollouts(result.step, result.samples, tokenizer, criteria));
      this.warn(result.events);
      // A Stop during the step skips the periodic eval: the final one below evaluates this same step.
      if (evalDueAfter(result.step, config.steps, config.eval.every) && !this.stopped) await runEval(`Evaluating at step ${result.step}…`);
      if (saver.due(result.step) && result.step < config.steps) await checkpoint('every');

      // Yield to the event loop so pause/step/stop messages are handled between steps.
      await nextTask();
    }

    if (this.stopped) {
      // Results say where the run ended, not where it last happened to be evaluated.
      if (this.evaluateOnStop && lastEval !== trainer.stepIndex) await runEval(`Final evaluation at step ${trainer.stepIndex}…`);
      await checkpoint('stop');
      return this.status('done', `Stopped at step ${trainer.stepIndex}`);
    }
    if (lastEval !== trainer.stepIndex) await runEval('Final evaluation…');
    await checkpoint('done');
    this.status('done', `Finished ${trainer.stepIndex} steps`);
  }

  private waitWhilePaused(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        if (this.paused && !this.stopped && this.stepsRequested === 0) return; // nothing to do yet
        this.wake = null;
        resolve();
      };
    });
  }

  private warn(events: HackingEvent[]): void {
    for (const ev of events) this.send({ type: 'warning', step: ev.step, kind: ev.kind, message: ev.message });
  }

  private status(state: RunState, message?: string, extra: { backend?: string; backendNote?: string } = {}): void {
    this.state = state;
    this.lastStatus = statusKey(state, message);
    const m: WorkerToUi = { type: 'status', state };
    if (message !== undefined) m.message = message;
    if (extra.backend !== undefined) m.backend = extra.backend;
    if (extra.backendNote !== undefined) m.backendNote = extra.backendNote;
    this.send(m);
  }

  /** Unthrottled messages, after whatever the throttle holds. */
  private send(message: WorkerToUi): void {
    this.throttle.now(message);
  }

  private reportError(err: unknown): void {
    const message = redact(err instanceof Error ? err.message : String(err), this.secret);
    this.stopped = true;
    this.send({ type: 'error', message });
    this.status('error', message);
  }

  /** Reports a failure that escaped the run (the worker's unhandledrejection net). */
  fail(err: unknown): void {
    this.reportError(err);
  }
}

/** `text` with every occurrence of `secret` replaced (an error must never echo the judge key). */
export function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

function statusKey(state: RunState, message: string | undefined): string {
  return `${state}\n${message ?? ''}`;
}

function sample(step: number, s: { prompt: string; completion: string; reward: number }): WorkerToUi {
  return { type: 'sample', step, prompt: s.prompt, completion: s.completion, reward: s.reward };
}

function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
