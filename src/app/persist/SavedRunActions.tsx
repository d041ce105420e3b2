// The saved-run cell of a run-list row: Resume from its checkpoint (a run that is not going and not finished),
// the exports, and Delete (asks first).
import { useState } from 'react';
import { useStore } from '../store.ts';
import { isActive } from '../store/reduce.ts';
import type { RunRecord } from '../store/runs.ts';
import { usePersist } from './persist-store.ts';
import { deleteRun, resumeFromCheckpoint } from './saved-runs.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';

export function SavedRunActions({ run }: { run: RunRecord }) {
  const checkpointStep = usePersist((s) => s.checkpoints[run.id]);
  const status = useStore((s) => s.status);
  const currentRunId = useStore((s) => s.currentRunId);
  const [problem, setProblem] = useState<string | null>(null);
  if (run.reference) return null;
  const going = currentRunId === run.id && isActive(status);
  const canResume = checkpointStep !== undefined && checkpointStep < run.config.steps && !going && run.state !== 'done';
  const label = run.name || run.id;

  return (
    <div className="saved-run-actions">
      {canResume && (
        <button type="button" disabled={isActive(status)} onClick={() => void resumeFromCheckpoint(run.id).then(setProblem)}>
          Resume from step {checkpointStep}
        </button>
      )}
      <ExportMenu run={run} />
      <button
        type="button"
        className="danger"
        disabled={going}
        aria-label={`Delete ${label}`}
        onClick={() => {
          if (window.confirm(`Delete ${label}? Its metrics, rollouts and checkpoint leave this browser.`)) void deleteRun(run.id);
        }}
      >
        Delete
      </button>
      {problem && <span role="alert">{problem}</span>}
    </div>
  );
}
