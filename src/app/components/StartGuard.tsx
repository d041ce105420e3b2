// Under the run controls, before Train: the run's estimate in one line (time per step and for the run, memory of
// the plan, and what the time is based on), custom code that does not compile (Train refuses it, with the line and
// column and a button that puts the editor's cursor there), and the confirmation a costly run asks for.
import { EditorSelection } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { useEffect, useRef } from 'react';
import type { CodeProblem } from './code-check.ts';
import { formatSeconds, type MemoryEstimate, type RunEstimate } from './start-guard.ts';

const mib = (bytes: number) => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${Math.max(0.1, bytes / 2 ** 20).toFixed(1)} MiB`);

/** "line 3, column 10" or "line 3". */
export function where(p: CodeProblem): string {
  if (p.line === undefined) return '';
  return p.column === undefined ? `line ${p.line}` : `line ${p.line}, column ${p.column}`;
}

/** Put the cursor of criterion `p.index`'s code editor at the problem and focus it; false when it is not shown. */
function showInEditor(p: CodeProblem): boolean {
  const host = document.querySelector(`[data-testid="criterion-${p.index}-code-editor"]`);
  const view = host ? EditorView.findFromDOM(host as HTMLElement) : null;
  if (!view) return false;
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(p.line ?? 1, 1), doc.lines));
  const pos = Math.min(line.from + Math.max((p.column ?? 1) - 1, 0), line.to);
  view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
  view.focus();
  return true;
}

export function CodeProblems({ problems }: { problems: CodeProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="start-blocked" role="alert" data-testid="code-problems">
      {problems.map((p) => (
        <p key={p.index}>
          <strong>Train is blocked:</strong> the code of criterion “{p.name}” {p.message.replace(/ \((line \d+|at the end of the code)\)$/, '')}
          {where(p) && <> at {where(p)}</>}.{' '}
          <button type="button" className="link-button" onClick={() => showInEditor(p)}>
            Show in the editor
          </button>
        </p>
      ))}
    </div>
  );
}

export function EstimateLine({ estimate, planned, memory, memoryNote, steps }: { estimate: RunEstimate | null; planned: boolean; memory: MemoryEstimate | null; memoryNote: string | null; steps: number }) {
  if (!planned) return <p className="start-estimate muted">Estimating this run…</p>;
  if (!estimate) {
    return (
      <p className="start-estimate" data-testid="start-estimate">
        Estimate: time unknown until a run of this model has measured its speed here (shown after its first steps){memoryNote && <>; {memoryNote}</>}
      </p>
    );
  }
  return (
    <p className="start-estimate" data-testid="start-estimate" title={`Time ${estimate.basis}. Evaluations are counted at the training rate (an overestimate).`}>
      Estimate: <strong>{formatSeconds(estimate.stepSeconds)}</strong> per step, about <strong>{formatSeconds(estimate.runSeconds)}</strong> for {steps.toLocaleString('en-US')} steps
      {memory && (
        <>
          ; memory {mib(memory.bytes)} ({memory.fits ? 'fits' : 'does not fit'} {memory.device})
        </>
      )}
      {memoryNote && <>; {memoryNote}</>}
      <span className="start-basis"> · time {estimate.basis.startsWith('measured') ? 'measured' : estimate.basis.startsWith('scaled') ? 'scaled from another model' : 'rough (no run measured here yet)'}</span>
    </p>
  );
}

/** The confirmation of a costly start: a modal dialog with the reasons; Cancel has the focus. */
export function StartConfirm({ reasons, onStart, onCancel }: { reasons: string[]; onStart: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    cancel.current?.focus();
  }, []);
  return (
    <dialog ref={dialog} className="start-confirm" aria-labelledby="start-confirm-title" onCancel={onCancel} data-testid="start-confirm">
      <h2 id="start-confirm-title">Start this run?</h2>
      {reasons.map((r) => (
        <p key={r}>{r}</p>
      ))}
      <p className="muted">Stop ends it after the step in progress at any time. Fewer steps, prompts per step or a smaller group make it cheaper.</p>
      <div className="start-confirm-actions">
        <button type="button" ref={cancel} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={onStart}>
          Start anyway
        </button>
      </div>
    </dialog>
  );
}
