// The run's headline, at the top of the workspace: the status line, held-out accuracy from the first to the
// latest evaluation with both steps, the latest reward with its step, one held-out problem the run turned from
// wrong to right, and a warning when the groups stopped giving a learning signal. Every number names its step;
// a run that trained past its latest evaluation says so instead of passing an old number off as current.
import { useStore } from '../store.ts';
import { currentRun } from '../store/reduce.ts';
import { accuracyText, runHeadline } from './headline.ts';
import './run-headline.css';

export function RunHeadline() {
  const status = useStore((s) => s.status);
  const message = useStore((s) => s.message);
  const backend = useStore((s) => s.backend);
  const run = useStore((s) => currentRun(s));
  const h = runHeadline(run);
  const change = run?.heldOut;
  const example = change && change.toStep === h.accuracy?.toStep ? change.example : undefined;

  return (
    <section className="run-headline" aria-label="Run results">
      <p className={`status status-${status}`} role="status" data-state={status}>
        <span className="status-dot" aria-hidden="true" />
        <span className="status-state">{status}</span>
        {message && <span className="status-message">{message}</span>}
      </p>
      <div className="headline-numbers">
        <p className="headline-accuracy">
          <span className="headline-label">Eval accuracy</span>{' '}
          <strong data-testid="headline-accuracy">{h.accuracy ? accuracyText(h.accuracy) : '–'}</strong>
        </p>
        <p className="headline-reward">
          <span className="headline-label">Reward</span>{' '}
          <strong data-testid="headline-reward">{h.reward ? `${h.reward.value.toFixed(3)} (step ${h.reward.step})` : '–'}</strong>
        </p>
        <p className="headline-backend" data-testid="headline-backend">
          <span className="headline-label">Backend</span> {backend ?? '–'}
        </p>
      </div>
      {h.accuracy && h.stepsSinceEval > 0 && !isTraining(status) && (
        <p className="headline-note" data-testid="headline-stale">
          Trained to step {run?.step}, {h.stepsSinceEval} step{h.stepsSinceEval === 1 ? '' : 's'} after the last evaluation: the
          accuracy above is from step {h.accuracy.toStep}.
        </p>
      )}
      {change && change.toStep === h.accuracy?.toStep && (
        <div className="headline-example" data-testid="headline-example">
          <p className="headline-counts">
            Held-out problems since step {change.fromStep}: {change.fixed} of {change.total} went wrong → right, {change.broken} right → wrong.
          </p>
          {example && (
            <p className="headline-pair">
              For example <code className="model-text">{example.prompt}</code> (answer <code className="model-text">{example.answer}</code>): step{' '}
              {change.fromStep} wrote <code className="model-text wrong">{example.before || '(nothing)'}</code>, step {change.toStep} wrote{' '}
              <code className="model-text right">{example.after || '(nothing)'}</code>.
            </p>
          )}
        </div>
      )}
      {h.flatGroups !== null && (
        <p className="headline-warning" data-testid="zero-std-warning">
          {Math.round(h.flatGroups * 100)}% of the recent groups gave no learning signal: all G completions of a prompt scored the same,
          so every advantage was 0. Try a larger group size G, a higher temperature, or a rubric with partial credit.
        </p>
      )}
    </section>
  );
}

const isTraining = (status: string) => status === 'training' || status === 'loading' || status === 'ready';
