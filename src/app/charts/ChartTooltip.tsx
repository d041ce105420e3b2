// Hover values of one chart at one step: each run's smoothed (or eval) value, with the raw value beside it
// when smoothing is on.
import type { ChartRow, DrawnLine } from './series.ts';
import { formatValue } from './series.ts';

interface Props {
  step: number | undefined;
  row: ChartRow | undefined;
  lines: DrawnLine[];
  /** Label lines by run name (several runs) or only by metric. */
  showRunNames: boolean;
}

export function ChartTooltip({ step, row, lines, showRunNames }: Props) {
  if (step === undefined || !row) return null;
  const shown = lines.filter((l) => l.role !== 'raw' && row[l.dataKey] !== undefined);
  if (shown.length === 0) return null;
  return (
    <div className="chart-tooltip">
      <p className="chart-tooltip-step">Step {step}</p>
      <ul>
        {shown.map((l) => {
          const raw = row[`${l.dataKey}raw`];
          const name = [showRunNames ? l.runName : null, l.role === 'eval' ? `eval ${l.label}` : l.label].filter(Boolean).join(' · ');
          return (
            <li key={l.dataKey}>
              <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
              <span className="chart-tooltip-name">{name}</span>
              <strong>{formatValue(row[l.dataKey])}</strong>
              {raw !== undefined && raw !== row[l.dataKey] && <span className="chart-tooltip-raw"> (raw {formatValue(raw)})</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
