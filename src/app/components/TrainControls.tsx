// Run controls: Train, Pause, Resume, Step (exactly one GRPO update), Stop (with or without a final
// evaluation), Reset. Which are enabled follows the run status (control-rules.ts); each button has a plain
// label and a title saying what it does. An unavailable button is aria-disabled, not disabled, so the focus
// stays on the control just used (Train becomes unavailable the moment it is pressed).
import type { ReactNode } from 'react';
import { useStore } from '../store.ts';
import { enabledControls } from './control-rules.ts';
import { useShareDecisionPending } from '../share/share-link-store.ts';
import './run-controls.css';

function ControlButton({ enabled, onClick, title, primary, children }: { enabled: boolean; onClick: () => void; title: string; primary?: boolean; children: ReactNode }) {
  return (
    <button type="button" className={primary ? 'primary' : undefined} aria-disabled={!enabled} onClick={() => enabled && onClick()} title={title}>
      {children}
    </button>
  );
}

export function TrainControls() {
  const status = useStore((s) => s.status);
  const evaluateOnStop = useStore((s) => s.evaluateOnStop);
  const setEvaluateOnStop = useStore((s) => s.setEvaluateOnStop);
  const hasRun = useStore((s) => s.currentRunId !== null);
  const { start, pause, resume, stepOnce, stop, reset } = useStore.getState();
  // While the page asks whether to open a share link (and run its code), nothing may start a run.
  const linkPending = useShareDecisionPending();
  const rules = enabledControls(status, hasRun);
  const enabled = { ...rules, train: rules.train && !linkPending, step: rules.step && !(linkPending && status === 'idle') };

  return (
    <div className="run-controls" role="toolbar" aria-label="Training controls">
      <ControlButton primary enabled={enabled.train} onClick={start} title="Start a new training run with the current settings">
        <span aria-hidden="true">▶</span> Train
      </ControlButton>
      <ControlButton enabled={enabled.pause} onClick={pause} title="Pause after the current step">
        <span aria-hidden="true">❚❚</span> Pause
      </ControlButton>
      <ControlButton enabled={enabled.resume} onClick={resume} title="Continue training">
        <span aria-hidden="true">▶</span> Resume
      </ControlButton>
      <ControlButton
        enabled={enabled.step}
        onClick={stepOnce}
        title={status === 'paused' ? 'Take exactly one GRPO update, then pause again' : 'Start a run and take exactly one GRPO update, then pause'}
      >
        <span aria-hidden="true">⇥</span> Step
      </ControlButton>
      <ControlButton
        enabled={enabled.stop}
        onClick={stop}
        title={
          evaluateOnStop
            ? 'Stop the run after the current step and evaluate that step on the held-out set (it stays in Compare)'
            : 'Stop the run after the current step, without a final evaluation (it stays in Compare)'
        }
      >
        <span aria-hidden="true">■</span> Stop
      </ControlButton>
      <label className="stop-eval" title="A stopped run's results then say how it did where it stopped, not at its last periodic evaluation">
        <input type="checkbox" checked={evaluateOnStop} onChange={(e) => setEvaluateOnStop(e.target.checked)} /> evaluate on Stop
      </label>
      <ControlButton
        enabled={enabled.reset}
        onClick={reset}
        title="Discard this run's progress and return to step 0; the next Train starts from the same seed and initial weights (settings are kept)"
      >
        <span aria-hidden="true">↺</span> Reset
      </ControlButton>
    </div>
  );
}
