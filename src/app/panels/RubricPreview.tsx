// The rubric preview table: each criterion's raw score on each sample completion (one column per sample),
// and the weighted total the trainer would use as the reward, computed in the preview worker by the same
// Rubric class as training, so partial credit is visible before training. A failed criterion shows "error"
// with its message below the table.
import { formatScore } from './score-format.ts';
import type { PreviewState } from './useRubricPreview.ts';

export function RubricPreview({ preview }: { preview: PreviewState }) {
  const { result, request, scoring } = preview;
  if (!result || !request) return <p className="empty">Scoring the samples…</p>;
  if (!result.ok) {
    return (
      <p className="field-error" role="alert">
        The rubric cannot be scored: {result.error}
      </p>
    );
  }
  const messages = new Map<string, string>();
  result.rows.forEach((row) => Object.entries(row.errors).forEach(([name, m]) => messages.has(name) || messages.set(name, m)));
  const skipped = result.criteria.filter((c) => c.skipped);
  return (
    <div className="rubric-preview" data-testid="rubric-preview" data-state={scoring ? 'scoring' : 'done'}>
      <div className="table-scroll">
        <table className="compact-table">
          <caption className="visually-hidden">Criterion scores (rows) on the sample completions (columns), and the reward</caption>
          <thead>
            <tr>
              <th scope="col">criterion</th>
              {request.samples.map((s, i) => (
                <th key={i} scope="col" title={s.completion}>
                  <code className="sample-text sample-head">{s.completion || '(empty)'}</code>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {result.criteria.map((c) => (
              <tr key={c.name} data-criterion={c.name}>
                <th scope="row" title={c.kind}>
                  {c.name} <span className="muted">×{c.weight}</span>
                </th>
                {result.rows.map((row, i) => (
                  <td key={i} title={row.errors[c.name] ?? c.skipped} data-score={c.skipped || row.errors[c.name] ? undefined : row.scores[c.name]}>
                    {c.skipped ? '–' : row.errors[c.name] ? <span className="score-error">error</span> : formatScore(row.scores[c.name])}
                  </td>
                ))}
              </tr>
            ))}
            <tr className="total" data-criterion="reward">
              <th scope="row">reward</th>
              {result.rows.map((row, i) => (
                <td key={i} data-score={row.total}>
                  {formatScore(row.total)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {[...messages].map(([name, m]) => (
        <p key={name} className="field-error">
          {name}: {m}
        </p>
      ))}
      {skipped.map((c) => (
        <p key={c.name} className="field-help">
          {c.name}: {c.skipped}
        </p>
      ))}
    </div>
  );
}
