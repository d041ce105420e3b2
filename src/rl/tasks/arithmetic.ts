// Arithmetic task: prompts like "3+5", answer "8". Small enough for a tiny model to learn in minutes.
// Params: maxOperand (operands drawn from 0..maxOperand, default 9) and ops (a string of operators from
// "+-*", default "+"). Subtraction may give negative answers.
//
// Held-out split: every (op, a, b) triple has a fixed hash independent of the run seed. When the space of
// triples is small enough to enumerate (<= 2^18), exactly floor(space/3) triples with the smallest hashes
// are held out for evaluation, and evalRows lists them in hash order. For larger spaces a triple is held out
// when its hash falls in the lowest third, and evalRows draws held-out triples from a fixed stream. Either
// way, training rows never use held-out triples. A space with fewer than 3 triples cannot be split: then
// evaluation reuses the training triples (the description says so).

import { Rng, Stream, randomU32 } from '../../engine/rng.ts';
import { TaskError, type Task, type TaskParams, type TaskRow } from './types.ts';

const OPS = ['+', '-', '*'] as const;
type Op = (typeof OPS)[number];
const KNOWN_PARAMS = ['maxOperand', 'ops'] as const;
const MAX_OPERAND_LIMIT = 1_000_000;
const ENUMERATE_LIMIT = 1 << 18;
/** Fixed seed of the held-out split: changing it changes every arithmetic eval set. */
const SPLIT_SEED = 0x5eed_a71c;
const MAX_ATTEMPTS = 64;

export interface ArithmeticParams {
  maxOperand: number;
  ops: Op[];
}

export function parseArithmeticParams(params: TaskParams): ArithmeticParams {
  for (const key of Object.keys(params)) {
    if (!(KNOWN_PARAMS as readonly string[]).includes(key)) {
      throw new TaskError(`arithmetic: unknown param '${key}' (known: ${KNOWN_PARAMS.join(', ')})`);
    }
  }
  const maxOperand = params.maxOperand ?? 9;
  if (typeof maxOperand !== 'number' || !Number.isInteger(maxOperand) || maxOperand < 0 || maxOperand > MAX_OPERAND_LIMIT) {
    throw new TaskError(`arithmetic: maxOperand must be an integer from 0 to ${MAX_OPERAND_LIMIT}, got ${JSON.stringify(maxOperand)}`);
  }
  const opsText = params.ops ?? '+';
  if (typeof opsText !== 'string' || opsText.length === 0) {
    throw new TaskError(`arithmetic: ops must be a non-empty string of operators from "${OPS.join('')}", got ${JSON.stringify(opsText)}`);
  }
  const ops: Op[] = [];
  for (const c of opsText) {
    if (!(OPS as readonly string[]).includes(c)) {
      throw new TaskError(`arithmetic: unknown operator '${c}' in ops (known: ${OPS.join(' ')})`);
    }
    if (ops.includes(c as Op)) throw new TaskError(`arithmetic: operator '${c}' repeated in ops`);
    ops.push(c as Op);
  }
  return { maxOperand, ops };
}

/** Seed-independent hash of a problem; depends only on (op, a, b), not on the params' order or range. */
function tripleHash(op: Op, a: number, b: number): number {
  return randomU32(SPLIT_SEED + OPS.indexOf(op), a, b);
}

const PACK = 2 ** 20;

function packIndex(op: Op, a: number, b: number, M: number): number {
  return (OPS.indexOf(op) * M + a) * M + b;
}

function unpackIndex(index: number, M: number): [Op, number, number] {
  return [OPS[Math.floor(index / (M * M))], Math.floor(index / M) % M, index % M];
}

function apply(op: Op, a: number, b: number): number {
  return op === '+' ? a + b : op === '-' ? a - b : a * b;
}

function row(op: Op, a: number, b: number): TaskRow {
  return { prompt: `${a}${op}${b}`, answer: String(apply(op, a, b)), info: { a, b, op } };
}

export function createArithmeticTask(params: TaskParams): Task {
  const { maxOperand, ops } = parseArithmeticParams(params);
  const M = maxOperand + 1;
  const space = ops.length * M * M;
  const splittable = space >= 3;

  // Held out iff hash < threshold. Small spaces: the exact floor(space/3) smallest hashes, listed in order.
  // Each triple is packed into one exactly representable number, hash * 2^20 + canonical index, so a native
  // numeric sort orders by hash with a fixed tie-break (canonical index < 3 * M^2 <= 3 * 2^18 < 2^20).
  let threshold = splittable ? Math.floor(2 ** 32 / 3) : 2 ** 32;
  let heldOut: Float64Array | null = null;
  if (space <= ENUMERATE_LIMIT) {
    const keys = new Float64Array(space);
    let j = 0;
    for (const op of ops) {
      for (let a = 0; a < M; a++) for (let b = 0; b < M; b++) keys[j++] = tripleHash(op, a, b) * PACK + packIndex(op, a, b, M);
    }
    keys.sort();
    const k = splittable ? Math.floor(space / 3) : space;
    // Hash ties at the cut are vanishingly rare; the threshold rule makes them all training triples.
    threshold = k < space ? Math.floor(keys[k] / PACK) : 2 ** 32;
    let held = k;
    while (held > 0 && Math.floor(keys[held - 1] / PACK) >= threshold) held--;
    heldOut = keys.slice(0, held);
  }
  const isHeldOut = (op: Op, a: number, b: number): boolean => tripleHash(op, a, b) < threshold;

  const draw = (rng: Rng): [Op, number, number] => [ops[rng.int(ops.length)], rng.int(M), rng.int(M)];

  const opsText = ops.join('');
  return {
    name: 'arithmetic',
    description:
      `${ops.length === 1 ? `a${opsText}b` : `a op b with op in "${opsText}"`}, 0 <= a, b <= ${maxOperand}` +
      (splittable ? '' : ' (too few problems to hold any out: eval reuses training problems)'),
    systemPrompt: 'Reply with only the result, inside <answer></answer> tags.',
    correctnessCriterion: 'correct_answer',
    trainRow(seed: number, index: number): TaskRow {
      const rng = new Rng(seed >>> 0, Stream.data).fork(index);
      let [op, a, b] = draw(rng);
      for (let attempt = 1; splittable && isHeldOut(op, a, b) && attempt < MAX_ATTEMPTS; attempt++) [op, a, b] = draw(rng);
      // Fallback after (1/3)^64 bad luck: step through the space in a fixed order to the next training triple.
      while (splittable && isHeldOut(op, a, b)) {
        b = (b + 1) % M;
        if (b === 0) a = (a + 1) % M;
        if (a === 0 && b === 0) op = ops[(ops.indexOf(op) + 1) % ops.length];
      }
      return row(op, a, b);
    },
    evalRows(n: number): TaskRow[] {
      if (!Number.isInteger(n) || n < 0) throw new TaskError(`evalRows: n must be a non-negative integer, got ${n}`);
      if (heldOut) return Array.from(heldOut.subarray(0, n), (key) => row(...unpackIndex(key % PACK, M)));
      // Large space: draw held-out triples from a fixed stream (independent of the run seed), skipping repeats.
      const rng = new Rng(SPLIT_SEED, Stream.eval);
      const seen = new Set<string>();
      const rows: TaskRow[] = [];
      // The held-out third of a space this large has > 87k triples; the draw cap only guards absurd n.
      for (let draws = 0; rows.length < n && draws < 100 * n + 1000; draws++) {
        const [op, a, b] = draw(rng);
        const key = `${a}${op}${b}`;
        if (!isHeldOut(op, a, b) || seen.has(key)) continue;
        seen.add(key);
        rows.push(row(op, a, b));
      }
      return rows;
    },
  };
}
