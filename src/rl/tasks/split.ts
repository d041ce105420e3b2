// Held-out split for generated tasks (reverse, sort, length, countdown). A problem is identified by its prompt
// text; it is held out for evaluation when a fixed hash of the prompt (salted per task, independent of the run
// seed and of the params) falls in the lowest third. Training rows redraw until they get a training problem,
// so the two sets are disjoint by construction; evalRows draws held-out problems from a fixed stream, skipping
// repeats, so eval sets are the same for every run seed and evalRows(n) is a prefix of evalRows(m > n).
// Tasks refuse params whose problem space is smaller than MIN_SPACE, where a third is too few to evaluate on.

import { Rng, Stream, hash32 } from '../../engine/rng.ts';
import type { ParamReader } from './params.ts';
import { TaskError, type Task, type TaskRow } from './types.ts';

/** Smallest problem space a generated task accepts (about 10 held-out problems). */
export const MIN_SPACE = 30;
const HELD_OUT_BELOW = Math.floor(2 ** 32 / 3);
const MAX_TRAIN_ATTEMPTS = 1000;

/** 32-bit hash of a string (FNV-1a over UTF-16 code units, salted, then mixed with lowbias32). */
export function hashString(text: string, salt: number): number {
  let h = (0x811c9dc5 ^ hash32(salt)) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return hash32(h);
}

/** Throws "<task>: these params allow only N distinct problems ..." when the space is too small to split. */
export function requireSpace(reader: ParamReader, space: number, hint: string): void {
  if (space < MIN_SPACE) {
    throw reader.error(`these params allow only ${space} distinct problems; a held-out split needs at least ${MIN_SPACE} (${hint})`);
  }
}

/**
 * trainRow and evalRows for a generator. `draw` must be a pure function of the rng's draws; `splitSeed` is
 * the task's fixed salt (changing it changes the task's eval set).
 */
export function hashSplit(splitSeed: number, draw: (rng: Rng) => TaskRow): Pick<Task, 'trainRow' | 'evalRows'> {
  const isHeldOut = (row: TaskRow): boolean => hashString(row.prompt, splitSeed) < HELD_OUT_BELOW;
  return {
    trainRow(seed: number, index: number): TaskRow {
      const rng = new Rng(seed >>> 0, Stream.data).fork(index);
      let row = draw(rng);
      // With at least MIN_SPACE problems, 1000 held-out draws in a row do not happen in practice.
      for (let attempt = 1; isHeldOut(row) && attempt < MAX_TRAIN_ATTEMPTS; attempt++) row = draw(rng);
      return row;
    },
    evalRows(n: number): TaskRow[] {
      if (!Number.isInteger(n) || n < 0) throw new TaskError(`evalRows: n must be a non-negative integer, got ${n}`);
      const rng = new Rng(splitSeed, Stream.eval);
      const seen = new Set<string>();
      const rows: TaskRow[] = [];
      // The cap only matters for small spaces, whose held-out third runs out before n.
      for (let draws = 0; rows.length < n && draws < 100 * n + 1000; draws++) {
        const row = draw(rng);
        if (!isHeldOut(row) || seen.has(row.prompt)) continue;
        seen.add(row.prompt);
        rows.push(row);
      }
      return rows;
    },
  };
}

/** Number of strings of length minLength..maxLength over k symbols (capped at 2^40, plenty for a size check). */
export function sequenceSpace(k: number, minLength: number, maxLength: number): number {
  let total = 0;
  for (let len = minLength; len <= maxLength && total < 2 ** 40; len++) total += Math.min(k ** len, 2 ** 40);
  return total;
}
