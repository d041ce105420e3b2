// One criterion's scores on the preview samples, under its code editor: a number per sample, or the error
// message (a syntax error, a time limit) as text.
import { formatScore, sharedError } from './score-format.ts';
import type { PreviewState } from './useRubricPreview.ts';

export function LiveScores({ name, preview }: { name: string; preview: PreviewState }) {
  const { result, request, scoring } = preview;
  const shared = result?.ok ? sharedError(result.rows.map((r) => r.errors[name])) : null;
  return (
    <div className="live-scores" data-testid={`live-scores-${name}`} data-state={scoring ? 'scoring' : 'done'} aria-live="polite">
      <p className="live-scores-title">
        Live score on the samples{scoring && <span className="muted"> · scoring…</span>}
      </p>
      {result && !result.ok && <p className="field-error">{result.error}</p>}
      {result?.ok && request && shared !== null && (
        <p className="score-error" data-error-all="true">
          Every sample: {shared}
        </p>
      )}
      {result?.ok && request && (
        <ul>
          {result.rows.map((row, i) => {
            const error = row.errors[name];
            return (
              <li key={i} data-score={error ? undefined : row.scores[name]} data-error={error ? 'true' : undefined}>
                <code className="sample-text">{request.samples[i].completion || '(empty)'}</code>
                {' → '}
                {error ? <span className="score-error">{shared === null ? error : 'error'}</span> : <strong>{name in row.scores ? formatScore(row.scores[name]) : '–'}</strong>}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
