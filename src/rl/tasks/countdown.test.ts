import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../parsers/expression.ts';
import { checkCountdown, countdown } from '../rubric/kinds/countdown.ts';
import { createTask, type Task, type TaskRow } from './index.ts';

const trainPrompts = (task: Task, seeds: number[], n: number): Set<string> => {
  const out = new Set<string>();
  for (const seed of seeds) for (let i = 0; i < n; i++) out.add(task.trainRow(seed, i).prompt);
  return out;
};

interface Info {
  numbers: number[];
  target: number;
  solution: string;
}

/** Every row is a solvable puzzle: its own solution passes the checker, within the params' ranges. */
function check(row: TaskRow, count: number, maxNumber: number, minTarget: number, maxTarget: number): void {
  const { numbers, target, solution } = row.info as unknown as Info;
  expect(row.prompt).toBe(`target ${target} from ${numbers.join(' ')}`);
  expect(row.answer).toBe(String(target));
  expect(numbers.length).toBe(count);
  for (const n of numbers) expect(n >= 1 && n <= maxNumber).toBe(true);
  expect(target >= minTarget && target <= maxTarget).toBe(true);
  expect(numbers).not.toContain(target);
  expect(checkCountdown(solution, numbers, target), solution).toEqual({ ok: true });
}

describe('countdown task', () => {
  const task = createTask('countdown', {});

  it('defaults: 4 numbers 1-20, targets 10-100, every puzzle solvable by its recorded solution', () => {
    expect(task.correctnessCriterion).toBe('countdown');
    for (let i = 0; i < 300; i++) check(task.trainRow(0, i), 4, 20, 10, 100);
    for (const row of task.evalRows(100)) check(row, 4, 20, 10, 100);
  });

  it('solutions need parentheses where precedence demands them, and the grader reads prompts alone', () => {
    const fn = countdown.create({ field: 'answer' });
    const rows = Array.from({ length: 300 }, (_, i) => task.trainRow(1, i));
    expect(rows.some((r) => (r.info as unknown as Info).solution.includes('('))).toBe(true);
    for (const row of rows.slice(0, 50)) {
      const { solution } = row.info as unknown as Info;
      // The trainer may not pass info: the prompt's numbers and the answer are enough.
      expect(fn({ prompt: row.prompt, completion: `<answer>${solution}</answer>`, answer: row.answer })).toBe(1);
      const r = evaluateExpression(solution);
      expect(r.ok && r.value).toBe(Number(row.answer));
    }
  });

  it('other params', () => {
    const t = createTask('countdown', { count: 6, maxNumber: 100, minTarget: 100, maxTarget: 999 });
    for (let i = 0; i < 100; i++) check(t.trainRow(3, i), 6, 100, 100, 999);
    const t2 = createTask('countdown', { count: 2, maxNumber: 10, minTarget: 1, maxTarget: 20 });
    for (let i = 0; i < 100; i++) check(t2.trainRow(3, i), 2, 10, 1, 20);
  });

  it('deterministic per (seed, index); eval split fixed, a prefix, disjoint from training', () => {
    const again = createTask('countdown', {});
    for (let i = 0; i < 50; i++) expect(again.trainRow(5, i)).toEqual(task.trainRow(5, i));
    const a = Array.from({ length: 20 }, (_, i) => task.trainRow(0, i).prompt).join();
    const b = Array.from({ length: 20 }, (_, i) => task.trainRow(1, i).prompt).join();
    expect(a).not.toBe(b);
    const held = task.evalRows(200);
    expect(held.length).toBe(200);
    expect(again.evalRows(32)).toEqual(held.slice(0, 32));
    const heldSet = new Set(held.map((r) => r.prompt));
    expect(heldSet.size).toBe(200);
    for (const p of trainPrompts(task, [0, 1], 2000)) expect(heldSet.has(p), p).toBe(false);
  });

  it('clear errors for bad params, including unreachable target ranges', () => {
    expect(() => createTask('countdown', { numbers: 4 })).toThrow("countdown: unknown param 'numbers' (known: count, maxNumber, minTarget, maxTarget)");
    expect(() => createTask('countdown', { count: 1 })).toThrow('countdown: count must be an integer from 2 to 6, got 1');
    expect(() => createTask('countdown', { count: 7 })).toThrow(/count must be an integer from 2 to 6/);
    expect(() => createTask('countdown', { maxNumber: 1 })).toThrow(/maxNumber must be an integer from 2 to 1000/);
    expect(() => createTask('countdown', { minTarget: 50, maxTarget: 40 })).toThrow('countdown: minTarget (50) must be <= maxTarget (40)');
    expect(() => createTask('countdown', { count: 2, maxNumber: 5 })).toThrow(/only 25 distinct problems/);
    expect(() => createTask('countdown', { count: 2, maxNumber: 10, minTarget: 5000, maxTarget: 9000 })).toThrow(
      /countdown: targets from 5000 to 9000 are too rarely reachable with 2 numbers from 1 to 10 \(0 of 400/,
    );
  });
});
