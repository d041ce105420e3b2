// Reward-hacking warnings from the trainer, at the top of the workspace where the user is looking: each
// with its step and a Dismiss button. The list is an alert region, so a warning that arrives is announced.
// Beside a warning, one-click rubric fixes for the next run (teaching/hacking-fixes.ts), enabled once the run
// has stopped (the config is locked while a worker holds the run).
import { useState } from 'react';
import { useConfigEdit } from '../panels/useConfigEdit.ts';
import { useStore } from '../store.ts';
import { fixesFor } from '../teaching/hacking-fixes.ts';
import './hacking-warnings.css';

const KIND_TITLES: Record<string, string> = {
  reward_vs_correctness: 'Reward rising without correctness',
  length_inflation: 'Completions growing longer',
  format_without_accuracy: 'Format learned, answers not',
  collapse: 'Training collapsed (not hacking)',
};

export function HackingWarnings() {
  const runId = useStore((s) => s.currentRunId);
  const warnings = useStore((s) => s.warnings);
  const [dismissed, setDismissed] = useState<string[]>([]);
  const edit = useConfigEdit();
  const [fixed, setFixed] = useState<string | null>(null);
  const keyOf = (w: { kind: string; step: number }) => `${runId}:${w.kind}:${w.step}`;
  const shown = warnings.filter((w) => !dismissed.includes(keyOf(w)));
  if (shown.length === 0) return null;
  return (
    <div className="hacking-warnings" role="alert" aria-label="Reward-hacking warnings">
      <ul>
        {shown.map((w) => (
          <li key={keyOf(w)} data-testid="hacking-warning">
            <span className="warning-icon" aria-hidden="true">
              ⚠
            </span>
            <span className="warning-text">
              <strong>
                Step {w.step} · {KIND_TITLES[w.kind] ?? 'Possible reward hacking'}:
              </strong>{' '}
              {w.message}
              {fixesFor(w.kind, edit.config).map((fix) => (
                <button
                  key={fix.id}
                  type="button"
                  className="warning-fix"
                  disabled={edit.locked}
                  title={edit.locked ? 'Stop the run first: the fix changes the rubric of the next run' : 'Changes the rubric for the next run'}
                  onClick={() => setFixed(edit.replace(fix.apply(edit.config)) ?? `${fix.label}: done. Train again to compare.`)}
                >
                  {fix.label}
                </button>
              ))}
            </span>
            <button type="button" className="warning-dismiss" onClick={() => setDismissed([...dismissed, keyOf(w)])} aria-label={`Dismiss the warning from step ${w.step}`}>
              Dismiss
            </button>
          </li>
        ))}
      </ul>
      {fixed && (
        <p className="warning-fixed" role="status">
          {fixed}
        </p>
      )}
      {shown.length > 1 && (
        <button type="button" className="warning-dismiss" onClick={() => setDismissed([...dismissed, ...shown.map(keyOf)])}>
          Dismiss all
        </button>
      )}
    </div>
  );
}
