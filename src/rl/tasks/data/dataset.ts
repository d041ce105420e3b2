// A person's own data set, as text: JSONL (one {"prompt": ..., "answer": ...} object per line) or CSV with a
// header row naming the columns. Required: prompt and answer (non-empty). Optional: split ("train" or "eval",
// then on every row). Every other column or key goes into the row's info. Problems throw DataError with one
// message naming the line: "line 3: not valid JSON (...)", "line 1: missing column \"answer\" (...)".

import { CsvError, parseCsv } from './csv.ts';

/** Longest data text accepted (characters); the run config carries it, so share links carry it too. */
export const MAX_DATA_CHARS = 256 * 1024;
export const MAX_ROWS = 10_000;
/** Longest prompt or answer (characters). */
export const MAX_FIELD_CHARS = 10_000;

export type DataFormat = 'jsonl' | 'csv';

export interface DataRow {
  /** 1-based line where the row starts in the data text. */
  line: number;
  prompt: string;
  answer: string;
  split?: 'train' | 'eval';
  info: Record<string, unknown>;
}

export class DataError extends Error {
  override name = 'DataError';
}

/** Control characters (a NUL, a stray carriage return) are shown escaped, never echoed into a message. */
const visible = (text: string) =>
  // eslint-disable-next-line no-control-regex
  text.replace(/[\u0000-\u001f\u007f\u2028\u2029\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const lineError = (line: number, message: string) => new DataError(`line ${line}: ${visible(message)}`);
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const RESERVED = ['prompt', 'answer', 'split'];

/** JSONL when the first non-blank character is "{", else CSV. */
export function detectFormat(text: string): DataFormat {
  return text.trimStart().startsWith('{') ? 'jsonl' : 'csv';
}

function describe(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return `number ${String(v)} (too large for a number)`; // JSON 1e400 reads as Infinity
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Checks one row's prompt, answer and split and builds it. */
function makeRow(line: number, prompt: unknown, answer: unknown, split: unknown, info: Record<string, unknown>): DataRow {
  if (typeof prompt !== 'string') throw lineError(line, `"prompt" must be a string, got ${describe(prompt)}`);
  if (typeof answer === 'number' && Number.isFinite(answer)) answer = String(answer);
  if (typeof answer !== 'string') throw lineError(line, `"answer" must be a string or a number, got ${describe(answer)}`);
  if (prompt.trim() === '') throw lineError(line, 'empty prompt');
  if (answer.trim() === '') throw lineError(line, 'empty answer');
  for (const [key, value] of [['prompt', prompt], ['answer', answer]] as const) {
    if (value.length > MAX_FIELD_CHARS) throw lineError(line, `${key} is ${value.length} characters; the limit is ${MAX_FIELD_CHARS}`);
  }
  const row: DataRow = { line, prompt, answer, info };
  if (split !== undefined) {
    if (split !== 'train' && split !== 'eval') throw lineError(line, `"split" must be "train" or "eval", got ${describe(split)}`);
    row.split = split;
  }
  return row;
}

function parseJsonl(text: string): DataRow[] {
  const rows: DataRow[] = [];
  const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\n|\r/); // a byte-order mark, as CSV skips it
  lines.forEach((raw, k) => {
    const line = k + 1;
    if (raw.trim() === '') return;
    if (rows.length === MAX_ROWS) throw lineError(line, `more than ${MAX_ROWS} rows`);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw lineError(line, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw lineError(line, `must be a JSON object like {"prompt": "...", "answer": "..."}, got ${describe(value)}`);
    }
    const obj = value as Record<string, unknown>;
    for (const key of ['prompt', 'answer']) if (!Object.hasOwn(obj, key)) throw lineError(line, `missing "${key}"`);
    const info: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(obj)) {
      if (FORBIDDEN_KEYS.has(key)) throw lineError(line, `key "${key}" is not allowed`);
      if (!RESERVED.includes(key)) info[key] = v;
    }
    rows.push(makeRow(line, obj.prompt, obj.answer, obj.split, info));
  });
  return rows;
}

function parseCsvRows(text: string): DataRow[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw lineError(e.line, e.message);
    throw e;
  }
  if (records.length === 0) return [];
  const [header, ...body] = records;
  const names = header.fields.map((f) => f.trim());
  const lower = names.map((f) => f.toLowerCase());
  names.forEach((name, c) => {
    if (name === '') throw lineError(header.line, `column ${c + 1} of the header has no name`);
    if (lower.indexOf(lower[c]) !== c) throw lineError(header.line, `column "${name}" appears twice in the header`);
    if (FORBIDDEN_KEYS.has(name)) throw lineError(header.line, `column name "${name}" is not allowed`);
  });
  for (const key of ['prompt', 'answer']) {
    if (!lower.includes(key)) throw lineError(header.line, `missing column "${key}" (the header has: ${names.join(', ')})`);
  }
  if (body.length > MAX_ROWS) throw lineError(body[MAX_ROWS].line, `more than ${MAX_ROWS} rows`);
  const [p, a, s] = RESERVED.map((key) => lower.indexOf(key));
  return body.map(({ line, fields }) => {
    if (fields.length !== names.length) {
      throw lineError(line, `${fields.length} field${fields.length === 1 ? '' : 's'}, but the header has ${names.length} (quote fields that contain commas)`);
    }
    const info: Record<string, unknown> = {};
    names.forEach((name, c) => {
      if (!RESERVED.includes(lower[c])) info[name] = fields[c];
    });
    return makeRow(line, fields[p], fields[a], s === -1 ? undefined : fields[s].trim(), info);
  });
}

/** Parse and validate a data set; throws DataError naming the first problem and its line. */
export function parseDataset(text: string, format: DataFormat = detectFormat(text)): DataRow[] {
  if (text.length > MAX_DATA_CHARS) throw new DataError(`data is ${text.length} characters; the limit is ${MAX_DATA_CHARS}`);
  const rows = format === 'jsonl' ? parseJsonl(text) : parseCsvRows(text);
  if (rows.length === 0) {
    throw new DataError(
      format === 'jsonl'
        ? 'no rows: give one {"prompt": "...", "answer": "..."} object per line'
        : 'no rows: give a header line "prompt,answer" and one line per row',
    );
  }
  const withSplit = rows.find((r) => r.split !== undefined);
  if (withSplit) {
    const without = rows.find((r) => r.split === undefined);
    if (without) throw lineError(without.line, `no "split", but line ${withSplit.line} has one: give every row a split or none`);
  }
  return rows;
}
