// Run controls: Train, Pause, Resume, Step (exactly one GRPO update), Stop, Reset. Which are enabled
// follows the run status (control-rules.ts); each button has a plain label and a title saying what it does.
import { useStore } from '../store.ts';
import { enabledControls } from './control-rules.ts';
import { useShareDecisionPending } from '../share/share-link-store.ts';
import './run-controls.css';

export function TrainControls() {
  const status = useStore((s) => s.status);
  const hasRun = useStore((s) => s.currentRunId !== null);
  const { start, pause, resume, stepOnce, stop, reset } = useStore.getState();
  // While the page asks whether to open a share link (and run its code), nothing may start a run.
  const linkPending = useShareDecisionPending();
  const rules = enabledControls(status, hasRun);
  const enabled = { ...rules, train: rules.train && !linkPending, step: rules.step && !(linkPending && status === 'idle') };

  return (
    <div className="run-controls" role="toolbar" aria-label="Training controls">
      <button type="button" className="primary" onClick={start} disabled={!enabled.train} title="Start a new training run with the current settings">
        <span aria-hidden="true">▶</span> Train
      </button>
      <button type="button" onClick={pause} disabled={!enabled.pause} title="Pause after the current step">
        <span aria-hidden="true">❚❚</span> Pause
      </button>
      <button type="button" onClick={resume} disabled={!enabled.resume} title="Continue training">
        <span aria-hidden="true">▶</span> Resume
      </button>
      <button
        type="button"
        onClick={stepOnce}
        disabled={!enabled.step}
        title={status === 'paused' ? 'Take exactly one GRPO update, then pause again' : 'Start a run and take exactly one GRPO update, then pause'}
      >
        <span aria-hidden="true">⇥</span> Step
      </button>
      <button type="button" onClick={stop} disabled={!enabled.stop} title="Stop the run after the current step (it stays in Compare)">
        <span aria-hidden="true">■</span> Stop
      </button>
      <button
        type="button"
        onClick={reset}
        disabled={!enabled.reset}
        title="Discard this run's progress and return to step 0; the next Train starts from the same seed and initial weights (settings are kept)"
      >
        <span aria-hidden="true">↺</span> Reset
      </button>
    </div>
  );
}
