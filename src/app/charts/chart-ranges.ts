// The y range each chart shows at least, whatever its data: rewards, scores, accuracies and fractions on their
// natural [0, 1] scale, KL from 0, and for every other metric a span of at least a tenth of its size, so that
// noise (0.468 -> 0.476) never fills a chart and looks like learning. The data always fits: ranges only grow.

/** Charts whose values are scores, accuracies or fractions in [0, 1]. */
const UNIT_CHARTS = new Set(['reward', 'eval', 'zero-std', 'clip']);

/** The smallest span any other chart shows, relative to the largest magnitude in it. */
const MIN_RELATIVE_SPAN = 0.1;

export function displayDomain(chartId: string, data: [number, number] | null): [number, number] | null {
  if (!data) return null;
  const [lo, hi] = data;
  if (UNIT_CHARTS.has(chartId) || chartId.startsWith('criterion-')) return [Math.min(0, lo), Math.max(1, hi)];
  if (chartId === 'kl') return [Math.min(0, lo), Math.max(hi, lo + 1e-3)];
  const span = Math.max(Math.abs(lo), Math.abs(hi)) * MIN_RELATIVE_SPAN || 1;
  if (hi - lo >= span) return [lo, hi];
  const mid = (lo + hi) / 2;
  // Keep a positive metric (length, throughput, learning rate) above zero.
  const low = lo >= 0 ? Math.max(0, mid - span / 2) : mid - span / 2;
  return [low, low + span];
}
