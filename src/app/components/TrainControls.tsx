// Run controls: Train, Pause, Resume, Step (exactly one GRPO update), Stop (with or without a final
// evaluation), Reset. Which are enabled follows the run status (control-rules.ts); each button has a plain
// label and a title saying what it does. An unavailable button is aria-disabled, not disabled, so the focus
// stays on the control just used (Train becomes unavailable the moment it is pressed).
// Starts are guarded (StartGuard): an estimate shows before Train, custom code that does not compile blocks
// Train and Step, and a run estimated over 10 minutes, or whose memory plan does not fit, asks first.
import { useReducer, useState, type ReactNode } from 'react';
import { useStore } from '../store.ts';
import { enabledControls } from './control-rules.ts';
import { useShareDecisionPending } from '../share/share-link-store.ts';
import { confirmReasons } from './start-guard.ts';
import { CodeProblems, EstimateLine, StartConfirm } from './StartGuard.tsx';
import { useStartGuard, useThroughputRecorder } from './use-start-guard.ts';
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
  const config = useStore((s) => s.config);
  const preference = useStore((s) => s.backendPreference);
  const [ratesVersion, ratesSaved] = useReducer((n: number) => n + 1, 0);
  useThroughputRecorder(ratesSaved);
  const guard = useStartGuard(config, preference, ratesVersion);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const rules = enabledControls(status, hasRun);
  const codeOk = guard.problems.length === 0;
  const enabled = { ...rules, train: rules.train && !linkPending && codeOk, step: rules.step && !(linkPending && status === 'idle') && (status === 'paused' || codeOk) };

  // Train: the code check first (awaiting one still running), then the confirmation when the run is costly.
  const guardedStart = async () => {
    if ((await guard.checkNow()).length > 0) return;
    const reasons = confirmReasons(guard.estimate, guard.memory);
    if (reasons.length > 0) setConfirming(reasons);
    else start();
  };
  const guardedStep = async () => {
    if (status !== 'paused' && (await guard.checkNow()).length > 0) return;
    stepOnce();
  };

  return (
    <>
      <div className="run-controls" role="toolbar" aria-label="Training controls">
        <ControlButton
          primary
          enabled={enabled.train}
          onClick={() => void guardedStart()}
          title={codeOk ? 'Start a new training run with the current settings' : 'Blocked: custom code in the rubric does not compile (see the message below)'}
        >
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
          onClick={() => void guardedStep()}
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
      <div className="start-guard">
        <CodeProblems problems={guard.problems} />
        {/* While a run goes the estimate (of the next run) is hidden but keeps its place, so the page does not jump. */}
        <div className={rules.train ? undefined : 'start-estimate-idle'} aria-hidden={rules.train ? undefined : true}>
          <EstimateLine estimate={guard.estimate} planned={guard.planned} memory={guard.memory} memoryNote={guard.memoryNote} steps={config.steps} />
        </div>
      </div>
      {confirming && (
        <StartConfirm
          reasons={confirming}
          onCancel={() => setConfirming(null)}
          onStart={() => {
            setConfirming(null);
            start();
          }}
        />
      )}
    </>
  );
}
