// How the held-out set changed between two evaluations of one run: how many problems went from wrong to right
// and from right to wrong, and one that went from wrong to right as an example (the run's headline shows it).
// Both evaluations are of the same fixed held-out rows, in the same order; a score of 0.5 or more is right.
import type { HeldOutChange } from './protocol.ts';

export interface ScoredAnswer {
  prompt: string;
  completion: string;
  answer: string;
  /** The correctness criterion's score in [0, 1]. */
  correct: number;
}

const isRight = (s: ScoredAnswer) => s.correct >= 0.5;

export function heldOutChange(before: readonly ScoredAnswer[], fromStep: number, after: readonly ScoredAnswer[], toStep: number): HeldOutChange | null {
  if (before.length !== after.length || before.length === 0) return null;
  let fixed = 0;
  let broken = 0;
  let example: HeldOutChange['example'];
  before.forEach((b, i) => {
    const a = after[i];
    if (a.prompt !== b.prompt) return; // not the same row: nothing to compare
    if (!isRight(b) && isRight(a)) {
      fixed++;
      example ??= { prompt: b.prompt, answer: b.answer, before: b.completion, after: a.completion };
    } else if (isRight(b) && !isRight(a)) broken++;
  });
  return { fromStep, toStep, total: before.length, fixed, broken, ...(example ? { example } : {}) };
}
