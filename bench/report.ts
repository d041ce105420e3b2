// Output of the bench: plain-text tables (the CPU section: figure, ours, each TF.js backend, ours/peer ratios;
// the WebGPU section: figure, unit, ours, tfjs-webgpu, ratio) and the same numbers as JSON in
// bench/results/latest.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
/** Three significant digits below 100 (SwiftShader's rates are small), whole numbers above. */
const fmtValue = (x: number | null) =>
  x === null ? 'n/a' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x >= 10 ? x.toFixed(1) : x.toPrecision(3);

/** Columns padded to their widest cell; the first column left-aligned, the rest right-aligned. */
function grid(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatTable(figures: Figure[]): string {
  const header = ['figure', 'ours tok/s', 'tfjs-cpu tok/s', 'tfjs-wasm tok/s', 'ours/tfjs-cpu', 'ours/tfjs-wasm'];
  const rows = figures.map((f) => {
    const ours = tokensPerSec(f, 'ours');
    const [cpu, wasm] = PEERS.map((p) => tokensPerSec(f, p));
    return [f.name, fmtRate(ours), fmtRate(cpu), fmtRate(wasm), fmtRatio(ours, cpu), fmtRatio(ours, wasm)];
  });
  return grid(header, rows);
}

/** One row of the WebGPU table: a rate (higher is better) for ours and for TF.js's webgpu backend. */
export interface GpuRow {
  name: string;
  unit: 'tok/s' | 'GFLOP/s';
  ours: number | null;
  tfjs: number | null;
}

export function formatGpuTable(rows: GpuRow[]): string {
  const header = ['figure (WebGPU)', 'unit', 'ours', 'tfjs-webgpu', 'ours/tfjs-webgpu'];
  return grid(header, rows.map((r) => [r.name, r.unit, fmtValue(r.ours), fmtValue(r.tfjs), fmtRatio(r.ours, r.tfjs)]));
}

/**
 * Write bench/results/latest.json (creating the folder): `data`'s top-level keys replace those of the file
 * already there, so a run of one section (--only) keeps the other section's last results. Returns the path.
 */
export function writeResults(data: Record<string, unknown>): string {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  let previous: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) previous = parsed as Record<string, unknown>;
    } catch {
      // an unreadable previous file is simply replaced
    }
  }
  writeFileSync(file, JSON.stringify({ ...previous, ...data }, null, 2) + '\n');
  return file;
}
