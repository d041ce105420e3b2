// The session's runs as a table: colour, editable name, a tick to overlay it, progress and last values.
import { useStore } from '../store.ts';
import type { RunRecord } from '../store/runs.ts';
import { formatValue } from '../charts/series.ts';
import { SavedRunActions } from '../persist/SavedRunActions.tsx';

function lastMetric(points: RunRecord['train'], key: string): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) if (Number.isFinite(points[i].metrics[key])) return points[i].metrics[key];
  return undefined;
}

export function RunList({ runs }: { runs: RunRecord[] }) {
  const deselected = useStore((s) => s.deselectedRunIds);
  const setSelected = useStore((s) => s.setRunSelected);
  const rename = useStore((s) => s.renameRun);

  return (
    <table className="run-list">
      <caption>Runs (saved in this browser)</caption>
      <thead>
        <tr>
          <th scope="col">Overlay</th>
          <th scope="col">Run</th>
          <th scope="col">Steps</th>
          <th scope="col">Reward</th>
          <th scope="col">Eval accuracy</th>
          <th scope="col">State</th>
          <th scope="col">Saved run</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.id} data-testid="run-row">
            <td>
              <input
                type="checkbox"
                checked={!deselected.includes(run.id)}
                onChange={(e) => setSelected(run.id, e.target.checked)}
                aria-label={`Overlay ${run.name || run.id} on the charts`}
              />
            </td>
            <td className="run-name-cell">
              <span className={`swatch${run.reference ? ' swatch-dashed' : ''}`} style={{ background: run.color }} aria-hidden="true" />
              {run.reference ? (
                <span title="Curves that came with the share link">{run.name}</span>
              ) : (
                <input
                  type="text"
                  value={run.name}
                  maxLength={80}
                  aria-label={`Name of ${run.id.replace('run-', 'run ')}`}
                  onChange={(e) => rename(run.id, e.target.value)}
                  onBlur={(e) => {
                    if (!e.target.value.trim()) rename(run.id, `Run ${run.id.replace('run-', '')} · ${run.config.task.name}`);
                  }}
                />
              )}
            </td>
            <td className="num">
              {run.step} / {run.config.steps}
            </td>
            <td className="num">{formatValue(lastMetric(run.train, 'reward'))}</td>
            <td className="num">{formatValue(lastMetric(run.evals, 'eval/accuracy'))}</td>
            <td>{run.reference ? 'shared' : run.state}</td>
            <td>
              <SavedRunActions run={run} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
