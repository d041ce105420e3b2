// A run's data in the formats other tools read: metrics as JSON lines exactly like the CLI's --log (train lines
// `{"type":"train","step":N,...}` and eval lines `{"type":"eval","step":N,...}`, in step order, an eval after the
// train line of its step) and as CSV with TRL's metric names as column names (one row per step, train and eval
// merged); rollouts as JSON lines, one per completion (prompt, completion, per-criterion scores, reward,
// advantage, each token with its log-prob and whether it was in the loss).
import type { MetricPoint, RunRecord } from '../store/runs.ts';

export interface RunSeries {
  train: MetricPoint[];
  evals: MetricPoint[];
}

export function metricsJsonl({ train, evals }: RunSeries): string {
  const lines: { step: number; order: number; text: string }[] = [
    ...train.map((p) => ({ step: p.step, order: 0, text: JSON.stringify({ type: 'train', step: p.step, ...p.metrics }) })),
    ...evals.map((p) => ({ step: p.step, order: 1, text: JSON.stringify({ type: 'eval', step: p.step, ...p.metrics }) })),
  ];
  lines.sort((a, b) => a.step - b.step || a.order - b.order);
  return lines.map((l) => l.text + '\n').join('');
}

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Numbers as JavaScript prints them (round-trips exactly); missing and non-finite values as empty fields. */
function csvNumber(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '' : String(x);
}

export function metricsCsv({ train, evals }: RunSeries): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const p of [...train, ...evals]) {
    for (const k of Object.keys(p.metrics)) {
      if (!seen.has(k)) {
        seen.add(k);
        columns.push(k);
      }
    }
  }
  const rows = new Map<number, Record<string, number>>();
  for (const p of [...train, ...evals]) rows.set(p.step, { ...rows.get(p.step), ...p.metrics });
  const steps = [...rows.keys()].sort((a, b) => a - b);
  const header = ['step', ...columns].map(csvField).join(',');
  const body = steps.map((s) => [String(s), ...columns.map((c) => csvNumber(rows.get(s)![c]))].join(','));
  return [header, ...body].join('\n') + '\n';
}

export function rolloutsJsonl(run: Pick<RunRecord, 'rollouts'>): string {
  const lines: string[] = [];
  for (const r of run.rollouts) {
    r.groups.forEach((g, groupIndex) => {
      g.completions.forEach((c, completionIndex) => {
        lines.push(
          JSON.stringify({
            step: r.step,
            group: groupIndex,
            index: completionIndex,
            prompt: g.prompt,
            answer: g.answer,
            completion: c.text,
            turns: c.turns,
            scores: c.scores,
            reward: c.reward,
            advantage: c.advantage,
            truncated: c.truncated,
            tokens: c.tokens.map((t) => t.text),
            logprobs: c.tokens.map((t) => t.logprob),
            mask: c.tokens.map((t) => (t.trained ? 1 : 0)),
          }),
        );
      });
    });
  }
  return lines.map((l) => l + '\n').join('');
}

/** A file name from a run's name: letters, digits, dot, dash and underscore only. */
export function fileStem(run: Pick<RunRecord, 'id' | 'name'>): string {
  const stem = (run.name || run.id).normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return stem.slice(0, 60) || run.id;
}
