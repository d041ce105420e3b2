// "Tune weights to your judgement": the person rates the preview's sample completions (1 bad - 5 good), the
// playground fits non-negative criterion weights so the reward orders them the same way (src/rl/rubric/weight-fit.ts),
// shows the agreement before and after (pairwise accuracy, Kendall's tau) and applies the weights only when asked.
// Criteria the preview did not score (a judge not called) keep their weight.
import { useState } from 'react';
import { fitWeights, type WeightFitResult } from '../../rl/rubric/weight-fit.ts';
import { ratingsFor, RATINGS, useLabels } from './preference-labels.ts';
import type { PreviewSamples } from './preview-samples.ts';
import { formatScore } from './score-format.ts';
import type { ConfigEdit } from './useConfigEdit.ts';
import type { PreviewState } from './useRubricPreview.ts';

const RATING_TEXT: Record<number, string> = { 1: '1 bad', 2: '2', 3: '3', 4: '4', 5: '5 good' };

const pct = (x: number) => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '–');
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const tau = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

interface Fit {
  result: WeightFitResult;
  names: string[];
}

export function WeightFit({ preview, samples, edit }: { preview: PreviewState; samples: PreviewSamples; edit: ConfigEdit }) {
  const labels = useLabels((s) => s.labels);
  const rate = useLabels((s) => s.rate);
  const [fit, setFit] = useState<Fit | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const ratings = ratingsFor(labels, samples.prompt, samples.completions);
  const { result, request } = preview;
  const scoredNow = result?.ok && request && !preview.scoring && request.samples.length === samples.completions.length;

  const runFit = () => {
    if (!result?.ok || !request) return;
    const scored = result.criteria.filter((c) => !c.skipped);
    const names = scored.map((c) => c.name);
    const weightOf = new Map(edit.config.rubric.criteria.map((c) => [c.name, c.weight]));
    setFit({
      names,
      result: fitWeights({
        scores: result.rows.map((row) => names.map((n) => row.scores[n] ?? 0)),
        labels: ratings,
        weights: names.map((n) => weightOf.get(n) ?? 0),
      }),
    });
    setMessage(null);
  };

  const apply = () => {
    if (!fit) return;
    const next = new Map(fit.names.map((n, k) => [n, Number(fit.result.weights[k].toFixed(4))]));
    const criteria = edit.config.rubric.criteria.map((c) => (next.has(c.name) ? { ...c, weight: next.get(c.name)! } : c));
    const problem = edit.replace({ ...edit.config, rubric: { ...edit.config.rubric, criteria } });
    setMessage(problem ?? 'Applied: the rubric now uses the fitted weights.');
  };

  const labelled = ratings.filter((r) => r !== undefined);
  const canFit = scoredNow && new Set(labelled).size >= 2;
  return (
    <details className="weight-fit" data-testid="weight-fit">
      <summary>Tune weights to your judgement</summary>
      <p className="field-help">
        Rate the sample completions; the fit finds non-negative weights whose reward orders them as you did (least squares on pairwise
        differences). Nothing changes until you apply it. Ratings are kept in this browser and saved in exported run files.
      </p>
      <ol className="label-list">
        {samples.completions.map((c, i) => (
          <li key={i}>
            <label htmlFor={`label-${i}`} className="label-text">
              <code className="sample-text">{c || '(empty)'}</code>
            </label>
            <select
              id={`label-${i}`}
              aria-label={`Rating of completion ${i + 1}`}
              value={ratings[i] ?? ''}
              onChange={(e) => rate(samples.prompt, c, e.target.value === '' ? undefined : Number(e.target.value))}
            >
              <option value="">–</option>
              {RATINGS.map((r) => (
                <option key={r} value={r}>
                  {RATING_TEXT[r]}
                </option>
              ))}
            </select>
          </li>
        ))}
      </ol>
      <button type="button" onClick={runFit} disabled={!canFit}>
        Fit weights
      </button>
      {!canFit && <span className="field-help"> Rate at least two completions differently{scoredNow ? '' : ' (and wait for the scores)'}.</span>}
      {fit && (
        <div className="weight-fit-result" data-testid="weight-fit-result">
          <p>
            Agreement with your ratings: pairwise accuracy <strong data-testid="agreement-before">{pct(fit.result.before.pairwiseAccuracy)}</strong> →{' '}
            <strong data-testid="agreement-after">{pct(fit.result.after.pairwiseAccuracy)}</strong>, Kendall τ {tau(fit.result.before.kendallTau)} →{' '}
            {tau(fit.result.after.kendallTau)} ({plural(fit.result.samples, 'rated sample')}, {plural(fit.result.before.pairs, 'differently rated pair')})
          </p>
          {fit.result.note && <p className="field-help">{fit.result.note}</p>}
          <table className="compact-table">
            <caption className="visually-hidden">Criterion weights now and fitted</caption>
            <thead>
              <tr>
                <th scope="col">criterion</th>
                <th scope="col">now</th>
                <th scope="col">fitted</th>
              </tr>
            </thead>
            <tbody>
              {fit.names.map((n, k) => (
                <tr key={n} data-criterion={n}>
                  <th scope="row">{n}</th>
                  <td>{formatScore(edit.config.rubric.criteria.find((c) => c.name === n)?.weight ?? 0)}</td>
                  <td data-weight={fit.result.weights[k]}>{fit.result.fitted[k] ? formatScore(fit.result.weights[k]) : `${formatScore(fit.result.weights[k])} (kept)`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={apply} disabled={edit.locked || !!fit.result.note}>
            Apply fitted weights
          </button>
          {message && (
            <p className="field-help" role="status">
              {message}
            </p>
          )}
        </div>
      )}
    </details>
  );
}
