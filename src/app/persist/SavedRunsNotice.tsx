// Under the header: the offline / update prompt (pwa/UpdatePrompt.tsx), how a run fared in a background tab
// (pwa/BackgroundNotice.tsx), the one storage-failure message (training goes on), and for each saved run that
// was interrupted (the page went away mid-run) a "Resume from step K" button.
import { useState } from 'react';
import { useStore } from '../store.ts';
import { isActive } from '../store/reduce.ts';
import { usePersist } from './persist-store.ts';
import { resumeFromCheckpoint } from './saved-runs.ts';
import { UpdatePrompt } from '../pwa/UpdatePrompt.tsx';
import { BackgroundNotice } from '../pwa/BackgroundNotice.tsx';
import './persist.css';

export function SavedRunsNotice() {
  const error = usePersist((s) => s.error);
  const dismiss = usePersist((s) => s.dismissError);
  const checkpoints = usePersist((s) => s.checkpoints);
  const runs = useStore((s) => s.runs);
  const status = useStore((s) => s.status);
  const [problem, setProblem] = useState<string | null>(null);
  const interrupted = runs.filter((r) => r.state === 'interrupted');

  return (
    <>
      <UpdatePrompt />
      <BackgroundNotice />
      {error && (
        <div className="persist-error" role="alert" data-testid="storage-error">
          <p>{error}</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {interrupted.length > 0 && (
        <section className="resume-notice" aria-label="Interrupted runs" data-testid="resume-notice">
          {interrupted.map((run) => {
            const step = checkpoints[run.id];
            return (
              <p key={run.id}>
                <strong>{run.name}</strong> stopped at step {run.step} when the page closed.{' '}
                {step === undefined ? (
                  'It has no checkpoint to resume from.'
                ) : (
                  <button
                    type="button"
                    className="primary"
                    disabled={isActive(status)}
                    onClick={() => void resumeFromCheckpoint(run.id).then(setProblem)}
                  >
                    Resume from step {step}
                  </button>
                )}
              </p>
            );
          })}
          {problem && <p role="alert">{problem}</p>}
        </section>
      )}
    </>
  );
}
