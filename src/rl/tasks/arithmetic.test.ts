import { describe, expect, it } from 'vitest';
import { createTask } from './index.ts';
import type { TaskRow } from './types.ts';

function check(row: TaskRow): void {
  const { a, b, op } = row.info as { a: number; b: number; op: string };
  expect(row.prompt).toBe(`${a}${op}${b}`);
  const want = op === '+' ? a + b : op === '-' ? a - b : a * b;
  expect(row.answer).toBe(String(want));
}

const trainPrompts = (task: ReturnType<typeof createTask>, seeds: number[], n: number): Set<string> => {
  const out = new Set<string>();
  for (const seed of seeds) for (let i = 0; i < n; i++) out.add(task.trainRow(seed, i).prompt);
  return out;
};

describe('arithmetic task', () => {
  const task = createTask('arithmetic', {});

  it('defaults: single-digit addition, short prompts, answers in <answer> tags', () => {
    expect(task.name).toBe('arithmetic');
    expect(task.description).toContain('a+b');
    expect(task.systemPrompt).toContain('<answer></answer>');
    expect(task.correctnessCriterion).toBe('correct_answer');
    const row = task.trainRow(0, 0);
    expect(row.prompt).toMatch(/^\d\+\d$/);
    check(row);
  });

  it('rows are a pure function of (seed, index)', () => {
    const again = createTask('arithmetic', {});
    for (let i = 0; i < 50; i++) expect(again.trainRow(3, i)).toEqual(task.trainRow(3, i));
    const a = Array.from({ length: 20 }, (_, i) => task.trainRow(0, i).prompt).join();
    const b = Array.from({ length: 20 }, (_, i) => task.trainRow(1, i).prompt).join();
    expect(a).not.toBe(b);
  });

  it('answers are correct for every operator', () => {
    const t = createTask('arithmetic', { maxOperand: 20, ops: '+-*' });
    const ops = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const row = t.trainRow(5, i);
      check(row);
      ops.add((row.info as { op: string }).op);
    }
    for (const row of t.evalRows(100)) check(row);
    expect([...ops].sort()).toEqual(['*', '+', '-']);
  });

  it('default space (100 problems): a fixed held-out third, never used for training', () => {
    const held = task.evalRows(1000);
    expect(held.length).toBe(33);
    expect(task.evalRows(32)).toEqual(held.slice(0, 32)); // prefix property
    expect(createTask('arithmetic', { ops: '+', maxOperand: 9 }).evalRows(32)).toEqual(task.evalRows(32));
    const heldSet = new Set(held.map((r) => r.prompt));
    expect(heldSet.size).toBe(33);
    const train = trainPrompts(task, [0, 1, 2, 3, 4], 400);
    for (const p of train) expect(heldSet.has(p), p).toBe(false);
    expect(train.size).toBe(67); // every other problem is trained on
  });

  it('medium space (enumerated): disjoint', () => {
    const t = createTask('arithmetic', { maxOperand: 99, ops: '+-' });
    const held = new Set(t.evalRows(100_000).map((r) => r.prompt));
    expect(held.size).toBe(Math.floor((2 * 100 * 100) / 3));
    for (const p of trainPrompts(t, [0, 9], 3000)) expect(held.has(p), p).toBe(false);
  });

  it('large space (hash threshold): eval rows distinct, fixed, disjoint from training', () => {
    const t = createTask('arithmetic', { maxOperand: 511, ops: '+-*' }); // 786,432 problems
    const rows = t.evalRows(5000);
    expect(rows.length).toBe(5000);
    expect(createTask('arithmetic', { ops: '+-*', maxOperand: 511 }).evalRows(50)).toEqual(rows.slice(0, 50));
    const held = new Set(rows.map((r) => r.prompt));
    expect(held.size).toBe(5000);
    // Without a split, ~20000 * 5000 / 786432 = 127 training rows would land in this eval set.
    const train = trainPrompts(t, [0], 20_000);
    for (const p of train) expect(held.has(p), p).toBe(false);
  });

  it('tiny spaces: 4 problems hold 1 out; 1 problem cannot be split and says so', () => {
    const t4 = createTask('arithmetic', { maxOperand: 1 });
    const held = t4.evalRows(10).map((r) => r.prompt);
    expect(held.length).toBe(1);
    const train = trainPrompts(t4, [0, 1], 100);
    expect(train.size).toBe(3);
    expect(train.has(held[0])).toBe(false);

    const t1 = createTask('arithmetic', { maxOperand: 0 });
    expect(t1.evalRows(5).map((r) => r.prompt)).toEqual(['0+0']);
    expect(t1.trainRow(0, 0).prompt).toBe('0+0');
    expect(t1.description).toMatch(/reuses training/);
  });

  it('clear errors for unknown tasks and bad params', () => {
    expect(() => createTask('gsm8k', {})).toThrow(/^unknown task 'gsm8k' \(known: arithmetic, .*own-data/);
    expect(() => createTask('arithmetic', { maxOp: 3 })).toThrow("arithmetic: unknown param 'maxOp' (known: maxOperand, ops)");
    expect(() => createTask('arithmetic', { maxOperand: -1 })).toThrow(/maxOperand must be an integer/);
    expect(() => createTask('arithmetic', { maxOperand: 2.5 })).toThrow(/maxOperand/);
    expect(() => createTask('arithmetic', { maxOperand: '9' })).toThrow(/maxOperand/);
    expect(() => createTask('arithmetic', { ops: '/' })).toThrow(/unknown operator '\/'/);
    expect(() => createTask('arithmetic', { ops: '' })).toThrow(/non-empty/);
    expect(() => createTask('arithmetic', { ops: '++' })).toThrow(/repeated/);
    expect(() => task.evalRows(-1)).toThrow();
  });
});
