// Output of the bench: a plain-text table (figure, ours, each TF.js backend, ours/peer ratios) and the same
// numbers as JSON in bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Timing } from './stats.ts';

export const PEERS = ['tfjs-cpu', 'tfjs-wasm'] as const;
export type Contender = 'ours' | (typeof PEERS)[number];

export interface Figure {
  name: string;
  tokens: number; // tokens processed per timed call
  timings: Partial<Record<Contender, Timing>>;
}

export const tokensPerSec = (f: Figure, c: Contender): number | null => {
  const t = f.timings[c];
  return t ? (f.tokens * 1000) / t.medianMs : null;
};

const fmtRate = (x: number | null) => (x === null ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const fmtRatio = (a: number | null, b: number | null) => (a === null || b === null ? 'n/a' : `${(a / b).toFixed(2)}x`);

export function formatTable(figures: Figure[]): string {
  const header = ['figure', 'ours tok/s', 'tfjs-cpu tok/s', 'tfjs-wasm tok/s', 'ours/tfjs-cpu', 'ours/tfjs-wasm'];
  const rows = figures.map((f) => {
    const ours = tokensPerSec(f, 'ours');
    const [cpu, wasm] = PEERS.map((p) => tokensPerSec(f, p));
    return [f.name, fmtRate(ours), fmtRate(cpu), fmtRate(wasm), fmtRatio(ours, cpu), fmtRatio(ours, wasm)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Write `data` as pretty JSON to bench/results/latest.json (creating the folder). Returns the path. */
export function writeResults(data: unknown): string {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}
