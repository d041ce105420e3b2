// What the own-data editor shows under the text: the first rows as the task will read them, or the first
// problem with its line number. The task's own parser does the work (limits included), so the preview and
// training always agree.
import { DataError, detectFormat, MAX_DATA_CHARS, parseDataset, type DataFormat, type DataRow } from '../../rl/tasks/data/dataset.ts';

export const PREVIEW_ROWS = 5;

export type OwnDataPreview =
  | { ok: true; format: DataFormat; total: number; rows: DataRow[]; columns: string[]; all: DataRow[] }
  | { ok: false; format: DataFormat; message: string; line: number | null };

/** `format`: the task's format param ('auto' detects JSONL by a leading "{"). */
export function previewOwnData(data: string, format: string = 'auto'): OwnDataPreview {
  const resolved: DataFormat = format === 'jsonl' || format === 'csv' ? format : detectFormat(data);
  try {
    const rows = parseDataset(data, resolved);
    const extra = new Set<string>();
    for (const r of rows.slice(0, PREVIEW_ROWS)) for (const k of Object.keys(r.info)) extra.add(k);
    const hasSplit = rows.some((r) => r.split !== undefined);
    return {
      ok: true,
      format: resolved,
      total: rows.length,
      rows: rows.slice(0, PREVIEW_ROWS),
      columns: ['prompt', 'answer', ...(hasSplit ? ['split'] : []), ...extra],
      all: rows,
    };
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    const line = /^line (\d+):/.exec(e.message);
    return { ok: false, format: resolved, message: e.message, line: line ? Number(line[1]) : null };
  }
}

/** A cell of the preview table: prompt, answer, split, or an extra column from info (as text). */
export function cellText(row: DataRow, column: string): string {
  if (column === 'prompt') return row.prompt;
  if (column === 'answer') return row.answer;
  if (column === 'split') return row.split ?? '';
  const v = row.info[column];
  return v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** [start, end) character offsets of 1-based line `line` in `text`. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next === -1) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return [start, end === -1 ? text.length : end];
}

/** Largest file accepted by the upload button: the data limit (characters; UTF-8 may be larger in bytes). */
export const MAX_UPLOAD_BYTES = MAX_DATA_CHARS * 4;
export { MAX_DATA_CHARS };
