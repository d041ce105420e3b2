// Countdown correctness: 1 if the expression in <answer> uses only the given numbers, each at most as often as
// it is given, with + - * / and parentheses, divides exactly, and equals the target; else 0. The numbers come
// from the row's info.numbers (an array of integers, or a string of them separated by spaces or commas) or,
// without info, from the prompt: the integers after "from" (the countdown task's "target 82 from 3 7 25 50")
// or after "numbers:", to the end of that line. The target comes from info.target or else the reference
// answer. A row that gives neither numbers nor an integer target throws (an error, not a 0).

import { evaluateExpression } from '../../parsers/expression.ts';
import { XMLParser } from '../../parsers/xml.ts';
import type { CriterionFn, CriterionKind, CriterionParams, ScoreContext } from '../types.ts';

export type CountdownCheck = { ok: true } | { ok: false; error: string };

/** Why `expression` does or does not reach `target` with `numbers` (each usable at most once per copy). */
export function checkCountdown(expression: string, numbers: readonly number[], target: number): CountdownCheck {
  const result = evaluateExpression(expression);
  if (!result.ok) return result;
  const left = new Map<number, number>();
  for (const n of numbers) left.set(n, (left.get(n) ?? 0) + 1);
  for (const n of result.numbers) {
    const k = left.get(n) ?? 0;
    if (k === 0) {
      return { ok: false, error: numbers.includes(n) ? `uses ${n} more often than it is given` : `uses ${n}, which is not one of the numbers` };
    }
    left.set(n, k - 1);
  }
  if (result.value !== target) return { ok: false, error: `equals ${result.value}, not the target ${target}` };
  return { ok: true };
}

const INTEGER_LIST = /^\s*\d{1,9}(?:[\s,]+\d{1,9})*\s*$/;

function integerList(text: string): number[] | undefined {
  return INTEGER_LIST.test(text) ? text.trim().split(/[\s,]+/).map(Number) : undefined;
}

/** The puzzle's numbers and target from the row (see the file comment); throws when the row lacks them. */
export function countdownPuzzle(ctx: ScoreContext): { numbers: number[]; target: number } {
  const info = ctx.info ?? {};
  let numbers: number[] | undefined;
  if (Array.isArray(info.numbers) && info.numbers.every((n) => Number.isSafeInteger(n))) numbers = info.numbers as number[];
  else if (typeof info.numbers === 'string') numbers = integerList(info.numbers);
  else {
    const list = /(?:\bfrom|numbers:)([^\n]*)/i.exec(ctx.prompt);
    if (list) numbers = integerList(list[1]);
  }
  if (!numbers) throw new Error('countdown: the row has no numbers (info.numbers, or "from 3 7 25" or "numbers: 3 7 25" in the prompt)');
  const rawTarget = info.target ?? ctx.answer;
  const target = typeof rawTarget === 'number' ? rawTarget : /^\s*-?\d{1,15}\s*$/.test(String(rawTarget)) ? Number(rawTarget) : NaN;
  if (!Number.isSafeInteger(target)) throw new Error(`countdown: the target must be an integer, got ${JSON.stringify(rawTarget)}`);
  return { numbers, target };
}

export const countdown: CriterionKind = {
  kind: 'countdown',
  description: '1 if the <answer> expression reaches the target using only the given numbers (each at most once) and + - * /, else 0.',
  params: {
    field: { type: 'string', default: 'answer', description: 'XML field holding the expression.' },
  },
  create(params: CriterionParams): CriterionFn {
    const field = String(params.field);
    const parser = new XMLParser([field]);
    return (ctx) => {
      const { numbers, target } = countdownPuzzle(ctx);
      const expression = parser.parseField(ctx.completion, field);
      return expression !== undefined && checkCountdown(expression, numbers, target).ok ? 1 : 0;
    };
  },
};
