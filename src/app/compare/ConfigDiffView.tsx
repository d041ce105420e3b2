// The config diff between two runs the user picks (A and B): one row per setting that differs.
import { useId, useMemo, useState } from 'react';
import type { RunRecord } from '../store/runs.ts';
import { diffRunConfigs } from '../../rl/config/diff.ts';
import { formatConfigValue } from './config-diff.ts';

export function ConfigDiffView({ runs }: { runs: RunRecord[] }) {
  // Defaults: the two newest runs, older as A. A choice survives new runs arriving.
  const [aId, setAId] = useState<string | null>(null);
  const [bId, setBId] = useState<string | null>(null);
  const a = runs.find((r) => r.id === aId) ?? runs.at(-2) ?? null;
  const b = runs.find((r) => r.id === bId) ?? runs.at(-1) ?? null;
  const changes = useMemo(() => (a && b && a !== b ? diffRunConfigs(a.config, b.config) : []), [a, b]);
  const aSelect = useId();
  const bSelect = useId();

  if (runs.length < 2) return <p className="empty">Train a second run to compare its config with this one.</p>;

  const picker = (id: string, label: string, value: RunRecord | null, onChange: (id: string) => void) => (
    <div className="diff-pick">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value?.id ?? ''} onChange={(e) => onChange(e.target.value)}>
        {runs.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name || r.id}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <section className="config-diff" aria-labelledby="config-diff-title">
      <h3 id="config-diff-title">Config diff</h3>
      <div className="diff-pickers">
        {picker(aSelect, 'Run A', a, setAId)}
        {picker(bSelect, 'Run B', b, setBId)}
      </div>
      {a === b ? (
        <p className="empty">Pick two different runs.</p>
      ) : changes.length === 0 ? (
        <p className="empty" data-testid="config-diff-same">
          Same config: any difference between these runs comes from the backend or chance alone.
        </p>
      ) : (
        <table className="diff-table" data-testid="config-diff">
          <thead>
            <tr>
              <th scope="col">Setting</th>
              <th scope="col">{a?.name || 'A'}</th>
              <th scope="col">{b?.name || 'B'}</th>
            </tr>
          </thead>
          <tbody>
            {changes.map((c) => (
              <tr key={c.path}>
                <th scope="row">
                  <code>{c.path}</code>
                </th>
                <td>{formatConfigValue(c.a)}</td>
                <td>{formatConfigValue(c.b)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
