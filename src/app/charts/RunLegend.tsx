// Which colour is which run, above a set of overlaid charts (the reference run's swatch is dashed).
import type { RunRecord } from '../store/runs.ts';

export function RunLegend({ runs }: { runs: RunRecord[] }) {
  if (runs.length < 2 && !runs.some((r) => r.reference)) return null;
  return (
    <ul className="run-legend" aria-label="Runs drawn">
      {runs.map((r) => (
        <li key={r.id}>
          <svg width="22" height="8" aria-hidden="true">
            <line x1="0" y1="4" x2="22" y2="4" stroke={r.color} strokeWidth="3" strokeDasharray={r.reference ? '6 4' : undefined} />
          </svg>
          {r.name}
        </li>
      ))}
    </ul>
  );
}
