// Which run controls the run status allows, in one place: Train/Step start a run when none is going,
// Pause only while training, Resume and Step while paused, Stop while a worker is alive, Reset once a run
// exists.
import { isActive, type RunStatus } from '../store/reduce.ts';

export interface EnabledControls {
  train: boolean;
  pause: boolean;
  resume: boolean;
  step: boolean;
  stop: boolean;
  reset: boolean;
}

export function enabledControls(status: RunStatus, hasRun: boolean): EnabledControls {
  const active = isActive(status);
  return {
    train: !active,
    pause: status === 'training',
    resume: status === 'paused',
    step: status === 'paused' || !active,
    stop: active,
    reset: hasRun,
  };
}
