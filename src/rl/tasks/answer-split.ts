// Held-out split for games whose prompt does not identify the problem (guess-number, word-game: every row
// reads "guess the number/word"), so the problem is its answer. Of a finite list of answers, the floor(n/3)
// with the smallest salted hashes (split.ts's hashString: independent of the run seed and of the list's order)
// are held out and listed in hash order; training rows draw uniformly from the other two thirds. Disjoint by
// construction, the same eval set for every run seed, and evalRows(n) is a prefix of evalRows(m > n).

import { Rng, Stream } from '../../engine/rng.ts';
import { hashString } from './split.ts';
import { TaskError, type Task, type TaskRow } from './types.ts';

export function answerSplit(
  answers: readonly string[],
  salt: number,
  toRow: (answer: string) => TaskRow,
): Pick<Task, 'trainRow' | 'evalRows'> {
  if (answers.length < 3) throw new TaskError(`a held-out split needs at least 3 answers, got ${answers.length}`);
  const byHash = answers
    .map((answer) => ({ answer, hash: hashString(answer, salt) }))
    .sort((a, b) => a.hash - b.hash || (a.answer < b.answer ? -1 : a.answer > b.answer ? 1 : 0))
    .map((x) => x.answer);
  const cut = Math.floor(answers.length / 3);
  const heldOut = byHash.slice(0, cut);
  const train = byHash.slice(cut).sort();
  return {
    trainRow(seed: number, index: number): TaskRow {
      const rng = new Rng(seed >>> 0, Stream.data).fork(index);
      return toRow(train[rng.int(train.length)]);
    },
    evalRows(n: number): TaskRow[] {
      if (!Number.isInteger(n) || n < 0) throw new TaskError(`evalRows: n must be a non-negative integer, got ${n}`);
      return heldOut.slice(0, n).map(toRow);
    },
  };
}
