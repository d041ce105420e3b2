// Countdown task: prompt "target 82 from 3 7 25 50", answer "82" (the target); the model writes an
// expression such as "(50-25)*3+7" and the criterion `countdown` checks it (each number at most once, + - * /,
// exact division; see rubric/kinds/countdown.ts). Params: count (numbers per puzzle, default 4), maxNumber
// (numbers drawn from 1..maxNumber, default 20), minTarget and maxTarget (default 10..100). Every puzzle is
// solvable: the generator combines a random subset of the numbers into a random expression (intermediate
// results positive integers) and keeps it when its value is in the target range and is not itself one of the
// numbers; info.solution holds that expression. Held-out split: see split.ts.

import { Rng } from '../../engine/rng.ts';
import { ParamReader } from './params.ts';
import { hashSplit, requireSpace } from './split.ts';
import type { Task, TaskParams, TaskRow } from './types.ts';

const KNOWN_PARAMS = ['count', 'maxNumber', 'minTarget', 'maxTarget'] as const;
const SPLIT_SEED = 0x5eed_c0de;
const MAX_ATTEMPTS = 1000;
/** Products above this are not generated (keeps every intermediate far from the safe-integer limit). */
const MAX_PRODUCT = 1_000_000;

export interface CountdownParams {
  count: number;
  maxNumber: number;
  minTarget: number;
  maxTarget: number;
}

/** An expression built so far: its value, its text, and its precedence (3 literal, 2 * /, 1 + -). */
interface Part {
  value: number;
  text: string;
  prec: number;
}

function combine(a: Part, op: string, b: Part): Part {
  const prec = op === '+' || op === '-' ? 1 : 2;
  const left = a.prec < prec ? `(${a.text})` : a.text;
  const right = b.prec < prec || (b.prec === prec && (op === '-' || op === '/')) ? `(${b.text})` : b.text;
  const value = op === '+' ? a.value + b.value : op === '-' ? a.value - b.value : op === '*' ? a.value * b.value : a.value / b.value;
  return { value, text: `${left}${op}${right}`, prec };
}

/** One random attempt: numbers, and a random expression over a random subset of them (2 or more). */
function attempt(rng: Rng, p: CountdownParams): { numbers: number[]; solution: Part } {
  const numbers = Array.from({ length: p.count }, () => 1 + rng.int(p.maxNumber));
  const order = numbers.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const parts: Part[] = order.slice(0, 2 + rng.int(p.count - 1)).map((i) => ({ value: numbers[i], text: String(numbers[i]), prec: 3 }));
  while (parts.length > 1) {
    const i = rng.int(parts.length);
    let j = rng.int(parts.length - 1);
    if (j >= i) j++;
    const [a, b] = [parts[i], parts[j]];
    const ops = ['+'];
    if (a.value > b.value) ops.push('-');
    if (a.value * b.value <= MAX_PRODUCT) ops.push('*');
    if (b.value > 1 && a.value % b.value === 0) ops.push('/');
    const part = combine(a, ops[rng.int(ops.length)], b);
    parts.splice(Math.max(i, j), 1);
    parts.splice(Math.min(i, j), 1, part);
  }
  return { numbers, solution: parts[0] };
}

const inRange = (v: number, p: CountdownParams): boolean => v >= p.minTarget && v <= p.maxTarget;

/** A puzzle; after MAX_ATTEMPTS misses (params validated to hit >= 1% of the time) the nearest miss. */
function drawPuzzle(rng: Rng, p: CountdownParams): { numbers: number[]; solution: Part } {
  let best: { numbers: number[]; solution: Part } | undefined;
  let bestDistance = Infinity;
  for (let k = 0; k < MAX_ATTEMPTS; k++) {
    const a = attempt(rng, p);
    if (a.numbers.includes(a.solution.value)) continue;
    if (inRange(a.solution.value, p)) return a;
    const distance = a.solution.value < p.minTarget ? p.minTarget - a.solution.value : a.solution.value - p.maxTarget;
    if (distance < bestDistance) [best, bestDistance] = [a, distance];
  }
  return best ?? attempt(rng, p);
}

export function parseCountdownParams(params: TaskParams): CountdownParams {
  const r = new ParamReader('countdown', params, KNOWN_PARAMS);
  const count = r.int('count', 4, 2, 6);
  const maxNumber = r.int('maxNumber', 20, 2, 1000);
  const minTarget = r.int('minTarget', 10, 1, 100_000);
  const maxTarget = r.int('maxTarget', 100, 1, 100_000);
  r.range('minTarget', minTarget, 'maxTarget', maxTarget);
  const p = { count, maxNumber, minTarget, maxTarget };
  requireSpace(r, maxNumber ** count, 'allow more or larger numbers');
  // Reachability: a fixed probe of attempts must hit the target range often enough.
  const rng = new Rng(SPLIT_SEED, 0);
  let hits = 0;
  for (let k = 0; k < 400; k++) {
    const a = attempt(rng, p);
    if (inRange(a.solution.value, p) && !a.numbers.includes(a.solution.value)) hits++;
  }
  if (hits < 4) {
    throw r.error(
      `targets from ${minTarget} to ${maxTarget} are too rarely reachable with ${count} numbers from 1 to ${maxNumber} ` +
        `(${hits} of 400 random expressions); widen the target range or change the numbers`,
    );
  }
  return p;
}

export function createCountdownTask(params: TaskParams): Task {
  const p = parseCountdownParams(params);
  const draw = (rng: Rng): TaskRow => {
    const { numbers, solution } = drawPuzzle(rng, p);
    const target = solution.value;
    return {
      prompt: `target ${target} from ${numbers.join(' ')}`,
      answer: String(target),
      info: { numbers, target, solution: solution.text },
    };
  };
  return {
    name: 'countdown',
    description: `reach a target from ${p.minTarget} to ${p.maxTarget} with ${p.count} numbers from 1 to ${p.maxNumber}, + - * /, each at most once`,
    systemPrompt: 'Reach the target with + - * /, each number at most once. Reply with only the expression, inside <answer></answer> tags.',
    correctnessCriterion: 'countdown',
    ...hashSplit(SPLIT_SEED, draw),
  };
}
