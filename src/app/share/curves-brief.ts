// One sentence about a shared curve summary, for the notice under the header (the charts draw the curves).
import type { CurveSummary } from './curves.ts';

function firstLast(points: CurveSummary['train'], key: string): string | null {
  const values = points.filter((p) => Object.hasOwn(p.metrics, key)).map((p) => p.metrics[key]);
  if (values.length === 0) return null;
  const fmt = (x: number) => String(Number(x.toPrecision(3)));
  return values.length === 1 ? fmt(values[0]) : `${fmt(values[0])} → ${fmt(values[values.length - 1])}`;
}

export function curvesBrief(summary: CurveSummary): string {
  const lastStep = Math.max(0, ...summary.train.map((p) => p.step), ...summary.evals.map((p) => p.step));
  const parts = [`${lastStep} step${lastStep === 1 ? '' : 's'}`];
  const reward = firstLast(summary.train, 'reward');
  if (reward) parts.push(`reward ${reward}`);
  const accuracy = firstLast(summary.evals, 'eval/accuracy');
  if (accuracy) parts.push(`eval accuracy ${accuracy}`);
  const name = summary.name ? ` '${summary.name}'` : '';
  return `This link brought the curves of its run${name} (${parts.join(', ')}) as a reference: press Train to replay against them.`;
}
