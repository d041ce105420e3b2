// Deliberate, documented flaws in pretraining data, so a bundled model half-knows its task the way small
// language models often do: it can produce the right answer (sampling finds it) but usually doesn't (greedy
// decoding misses it). GRPO then has a systematic error to fix, and the lift shows on held-out rows too.
// Each flaw is a pure function of the row and one uniform number, so a recipe stays deterministic.
import type { TaskRow } from './tasks/types.ts';

/**
 * Addition that forgets to carry: when the units digits of a+b sum to 10 or more, with probability p the
 * answer is written without the carry into the tens (8+6 -> "4", 15+7 -> "12"). Other rows are untouched.
 */
export function dropCarry(row: TaskRow, p: number, u: number): string {
  const info = row.info as { a?: unknown; b?: unknown; op?: unknown } | undefined;
  if (!info || info.op !== '+' || typeof info.a !== 'number' || typeof info.b !== 'number') return row.answer;
  return needsCarry(info.a, info.b) && u < p ? String(info.a + info.b - 10) : row.answer;
}

/** Whether a+b needs a carry from the units digit (for measuring the flaw). */
export function needsCarry(a: number, b: number): boolean {
  return (a % 10) + (b % 10) >= 10;
}
