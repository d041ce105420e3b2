// Mean train reward per step (a line), with eval accuracy (separate points, step 0 and the end) when present.
// data-points on the wrapper counts the train points drawn (the e2e test reads it).
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStore, type MetricPoint } from '../store.ts';

interface ChartRow {
  step: number;
  reward?: number;
  evalAccuracy?: number;
}

/** One row per step, merging train reward and eval accuracy. */
function chartRows(train: MetricPoint[], evals: MetricPoint[]): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const row = (step: number) => rows.get(step) ?? rows.set(step, { step }).get(step)!;
  for (const p of train) if (p.metrics.reward !== undefined) row(p.step).reward = p.metrics.reward;
  for (const p of evals) if (p.metrics['eval/accuracy'] !== undefined) row(p.step).evalAccuracy = p.metrics['eval/accuracy'];
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

/** Round x-axis ticks (0, 5, 10, ... or 0, 20, 40, ...): at most about six over [0, total]. */
function stepTicks(total: number): number[] {
  const raw = Math.max(total, 1) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const stride = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw && Number.isInteger(s)) ?? Math.ceil(raw);
  const ticks: number[] = [];
  for (let t = 0; t <= total; t += stride) ticks.push(t);
  return ticks;
}

export function RewardChart() {
  const train = useStore((s) => s.train);
  const evals = useStore((s) => s.evals);
  const totalSteps = useStore((s) => s.config.steps);
  const rows = useMemo(() => chartRows(train, evals), [train, evals]);
  const trainPoints = rows.filter((r) => r.reward !== undefined).length;
  const hasEval = rows.some((r) => r.evalAccuracy !== undefined);

  return (
    <div className="chart" data-testid="reward-chart" data-points={trainPoints}>
      <ResponsiveContainer width="100%" height={300}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ec" />
          <XAxis
            dataKey="step"
            type="number"
            domain={[0, Math.max(totalSteps, 1)]}
            ticks={stepTicks(totalSteps)}
            allowDecimals={false}
            padding={{ left: 8, right: 8 }}
          />
          <YAxis domain={['auto', 'auto']} width={52} tickFormatter={(v: number) => v.toFixed(2)} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? value.toFixed(3) : value)} />
          <Legend />
          <Line
            dataKey="reward"
            name="reward"
            stroke="#4f46e5"
            strokeWidth={2}
            dot={trainPoints <= 60}
            connectNulls
            isAnimationActive={false}
          />
          {hasEval && (
            <Line
              dataKey="evalAccuracy"
              name="eval accuracy"
              stroke="#059669"
              strokeWidth={0}
              dot={{ r: 5, fill: '#059669' }}
              legendType="circle"
              isAnimationActive={false}
            />
          )}
        </LineChart>
      </ResponsiveContainer>
      {rows.length === 0 && <p className="empty chart-empty">Press Train to start a run.</p>}
    </div>
  );
}
