// Deliberate, documented flaws for the text tasks' pretraining data (reverse, sort, length, own-data, countdown), in the
// spirit of flaws.ts's dropped carry: the demonstrations are right except for one systematic slip made with
// probability p, so the pretrained model can write the right answer (its samples sometimes do) but its
// greedy answer usually repeats the slip. The slip sits at one decision (which of two letters comes last,
// where to stop), the same for every row, so what GRPO fixes on training rows carries over to held-out rows.
// Each flaw is a pure function of the row and one uniform number, so a recipe stays deterministic.
import { lengthReply } from './demos.ts';
import type { TaskRow } from './tasks/types.ts';

export interface TextFlaws {
  /** reverse, own-data: the last two characters swapped ("maps" -> "masp"); sort: the last two items ("3, 7, 9" -> "3, 9, 7"). */
  swapLast: number;
  /** length: one word more than asked for ("3 words about rain" -> 4 words). */
  extraWord: number;
  /** countdown: sums written as products in the solution ("9+7" -> "9*7"; other operations kept). */
  plusToTimes: number;
}

export const NO_TEXT_FLAWS: TextFlaws = { swapLast: 0, extraWord: 0, plusToTimes: 0 };

/**
 * Swap the last two parts of `answer` with probability p (u < p): characters, or items when `items` is true
 * (", "-separated, as the sort task writes lists). Unchanged when those two parts are equal (the slip would
 * not show) or there are fewer than two.
 */
export function swapLastTwo(answer: string, p: number, u: number, items = false): string {
  if (!(u < p)) return answer;
  const parts = items ? answer.split(', ') : [...answer];
  const n = parts.length;
  if (n < 2 || parts[n - 1] === parts[n - 2]) return answer;
  [parts[n - 2], parts[n - 1]] = [parts[n - 1], parts[n - 2]];
  return parts.join(items ? ', ' : '');
}

/**
 * Every + written as * with probability p (u < p). One-sided on purpose: when + and * were both mixed up,
 * GRPO settled on "always +" (right on every sum, 62% of the countdown preset's held-out puzzles) instead of
 * choosing the operation.
 */
export function plusToTimes(expression: string, p: number, u: number): string {
  return u < p ? expression.replaceAll('+', '*') : expression;
}

/**
 * The flawed demonstration reply (with its <answer> tags) for a row of `taskName`, or undefined when no flaw
 * is set for that task (the ideal policy then answers). `u` is the example's one uniform number.
 */
export function flawedTextReply(taskName: string, row: TaskRow, flaws: TextFlaws, u: number): string | undefined {
  switch (taskName) {
    case 'reverse':
    case 'own-data':
      return flaws.swapLast > 0 ? `<answer>${swapLastTwo(row.answer, flaws.swapLast, u)}</answer>` : undefined;
    case 'sort':
      return flaws.swapLast > 0 ? `<answer>${swapLastTwo(row.answer, flaws.swapLast, u, true)}</answer>` : undefined;
    case 'countdown':
      return flaws.plusToTimes > 0 ? `<answer>${plusToTimes(String((row.info as { solution: string }).solution), flaws.plusToTimes, u)}</answer>` : undefined;
    case 'length':
      return flaws.extraWord > 0 ? lengthReply(row, Number(row.answer) + (u < flaws.extraWord ? 1 : 0)) : undefined;
    default:
      return undefined;
  }
}
