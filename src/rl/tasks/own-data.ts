// Own-data task: rows from a person's JSONL or CSV text carried in the run config (task.params.data; format
// and limits in data/dataset.ts). Params: data, format ("auto", "jsonl" or "csv"), evalFraction (default 0.2),
// systemPrompt, and correctness (the criterion kind behind eval/accuracy, default correct_answer).
//
// Held-out split: with a split column, as it says. Otherwise by prompt: of the U distinct prompts,
// round(U * evalFraction) (at least 1 when U >= 2 and evalFraction > 0) with the smallest fixed hash are held
// out, with every row that has them; the split depends only on the data, never on the run seed or the row
// order. evalRows lists held-out rows in file order. Training visits the training rows in a fresh seeded
// permutation per epoch. With no held-out rows (evalFraction 0, or a single prompt) evaluation reuses the
// training rows, and the description says so.

import { Rng, Stream } from '../../engine/rng.ts';
import { CRITERION_KINDS } from '../rubric/criteria.ts';
import { DataError, detectFormat, parseDataset, type DataFormat, type DataRow } from './data/dataset.ts';
import { ParamReader } from './params.ts';
import { hashString } from './split.ts';
import { TaskError, type Task, type TaskParams, type TaskRow } from './types.ts';

const KNOWN_PARAMS = ['data', 'format', 'evalFraction', 'systemPrompt', 'correctness'] as const;
const SPLIT_SEED = 0x5eed_da7a;
export const DEFAULT_OWN_DATA_SYSTEM_PROMPT = 'Reply with only the answer, inside <answer></answer> tags.';

export interface OwnDataParams {
  rows: DataRow[];
  train: DataRow[];
  held: DataRow[];
  format: DataFormat;
  evalFraction: number;
  systemPrompt: string;
  correctness: string;
}

export function parseOwnDataParams(params: TaskParams): OwnDataParams {
  const p = new ParamReader('own-data', params, KNOWN_PARAMS);
  if (!('data' in params)) throw p.error('data is missing: put the JSONL or CSV text in task.params.data');
  const data = p.string('data', '', Infinity);
  const formatParam = p.oneOf('format', 'auto', ['auto', 'jsonl', 'csv'] as const);
  const evalFraction = p.number('evalFraction', 0.2, 0, 0.9);
  const systemPrompt = p.string('systemPrompt', DEFAULT_OWN_DATA_SYSTEM_PROMPT, 2000);
  const correctness = p.oneOf('correctness', 'correct_answer', CRITERION_KINDS as readonly string[]);
  const format = formatParam === 'auto' ? detectFormat(data) : formatParam;
  let rows: DataRow[];
  try {
    rows = parseDataset(data, format);
  } catch (e) {
    if (e instanceof DataError) throw p.error(`data (${format.toUpperCase()}): ${e.message}`);
    throw e;
  }
  return { rows, ...splitRows(rows, evalFraction), format, evalFraction, systemPrompt, correctness };
}

/** Prompts held out by hash when the data has no split column (see the file comment). */
function heldOutPrompts(rows: DataRow[], evalFraction: number): Set<string> {
  const prompts = [...new Set(rows.map((r) => r.prompt))];
  if (evalFraction === 0 || prompts.length < 2) return new Set();
  const k = Math.min(prompts.length - 1, Math.max(1, Math.round(prompts.length * evalFraction)));
  const keyed = prompts.map((prompt) => ({ prompt, hash: hashString(prompt, SPLIT_SEED) }));
  keyed.sort((a, b) => a.hash - b.hash || (a.prompt < b.prompt ? -1 : a.prompt > b.prompt ? 1 : 0));
  return new Set(keyed.slice(0, k).map((x) => x.prompt));
}

function splitRows(rows: DataRow[], evalFraction: number): { train: DataRow[]; held: DataRow[] } {
  if (rows[0].split !== undefined) {
    const splitOf = new Map<string, DataRow>();
    for (const r of rows) {
      const other = splitOf.get(r.prompt);
      if (other && other.split !== r.split) {
        throw new TaskError(`own-data: data: line ${r.line}: the same prompt is in the ${other.split} split on line ${other.line}; a prompt belongs to one split only`);
      }
      splitOf.set(r.prompt, r);
    }
    const train = rows.filter((r) => r.split === 'train');
    if (train.length === 0) throw new TaskError('own-data: data: no training rows (every row has split "eval")');
    return { train, held: rows.filter((r) => r.split === 'eval') };
  }
  const held = heldOutPrompts(rows, evalFraction);
  return { train: rows.filter((r) => !held.has(r.prompt)), held: rows.filter((r) => held.has(r.prompt)) };
}

/** info.line is where the row starts in the data (unless the data has its own "line" column). */
const toTaskRow = (r: DataRow): TaskRow => ({ prompt: r.prompt, answer: r.answer, info: { line: r.line, ...r.info } });

export function createOwnDataTask(params: TaskParams): Task {
  const { rows, train, held, format, evalFraction, systemPrompt, correctness } = parseOwnDataParams(params);
  const evalSet = held.length > 0 ? held : train;
  const N = train.length;
  let cached: { seed: number; epoch: number; order: Uint32Array } | undefined;
  const permutation = (seed: number, epoch: number): Uint32Array => {
    if (cached?.seed === seed && cached.epoch === epoch) return cached.order;
    const order = Uint32Array.from({ length: N }, (_, i) => i);
    const rng = new Rng(seed, Stream.data).fork(epoch);
    for (let i = N - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    cached = { seed, epoch, order };
    return order;
  };
  const how = rows[0].split !== undefined ? 'by the split column' : `by prompt hash, ${Math.round(evalFraction * 100)}%`;
  return {
    name: 'own-data',
    description:
      `own data (${format.toUpperCase()}): ${rows.length} rows, ${N} for training, ` +
      (held.length > 0 ? `${held.length} held out (${how})` : 'none held out: eval reuses the training rows'),
    systemPrompt,
    correctnessCriterion: correctness,
    trainRow(seed: number, index: number): TaskRow {
      const order = permutation(seed >>> 0, Math.floor(index / N));
      return toTaskRow(train[order[index % N]]);
    },
    evalRows(n: number): TaskRow[] {
      if (!Number.isInteger(n) || n < 0) throw new TaskError(`evalRows: n must be a non-negative integer, got ${n}`);
      return evalSet.slice(0, n).map(toTaskRow);
    },
  };
}
