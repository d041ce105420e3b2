import { describe, expect, it } from 'vitest';
import { CRITERIA } from '../rubric/criteria.ts';
import { createTask, type Task } from './index.ts';

const trainPrompts = (task: Task, seeds: number[], n: number): Set<string> => {
  const out = new Set<string>();
  for (const seed of seeds) for (let i = 0; i < n; i++) out.add(task.trainRow(seed, i).prompt);
  return out;
};

describe('reverse task', () => {
  const task = createTask('reverse', {});

  it('defaults: 3-6 lowercase letters, answer is the reversal, scored by correct_answer', () => {
    expect(task.correctnessCriterion).toBe('correct_answer');
    expect(Object.hasOwn(CRITERIA, task.correctnessCriterion)).toBe(true);
    for (let i = 0; i < 200; i++) {
      const row = task.trainRow(7, i);
      expect(row.prompt).toMatch(/^[a-z]{3,6}$/);
      expect(row.answer).toBe([...row.prompt].reverse().join(''));
    }
  });

  it('rows are a pure function of (seed, index); seeds differ', () => {
    const again = createTask('reverse', {});
    for (let i = 0; i < 50; i++) expect(again.trainRow(3, i)).toEqual(task.trainRow(3, i));
    const a = Array.from({ length: 20 }, (_, i) => task.trainRow(0, i).prompt).join();
    const b = Array.from({ length: 20 }, (_, i) => task.trainRow(1, i).prompt).join();
    expect(a).not.toBe(b);
  });

  it('eval split: fixed, a prefix, distinct, disjoint from training for every seed', () => {
    const held = task.evalRows(300);
    expect(held.length).toBe(300);
    expect(createTask('reverse', { alphabet: 'abcdefghijklmnopqrstuvwxyz', minLength: 3 }).evalRows(40)).toEqual(held.slice(0, 40));
    const heldSet = new Set(held.map((r) => r.prompt));
    expect(heldSet.size).toBe(300);
    for (const p of trainPrompts(task, [0, 1, 2], 2000)) expect(heldSet.has(p), p).toBe(false);
  });

  it('small spaces: every held-out problem found, none trained on', () => {
    const t = createTask('reverse', { alphabet: 'abc', minLength: 2, maxLength: 3 }); // 9 + 27 = 36 strings
    const held = new Set(t.evalRows(100).map((r) => r.prompt));
    const train = trainPrompts(t, [0, 1, 2, 3], 500);
    expect(held.size + train.size).toBe(36);
    for (const p of train) expect(held.has(p)).toBe(false);
  });

  it('clear errors for bad params', () => {
    expect(() => createTask('reverse', { minLen: 3 })).toThrow("reverse: unknown param 'minLen' (known: minLength, maxLength, alphabet)");
    expect(() => createTask('reverse', { maxLength: 100 })).toThrow('reverse: maxLength must be an integer from 1 to 64, got 100');
    expect(() => createTask('reverse', { minLength: 0 })).toThrow(/minLength must be an integer/);
    expect(() => createTask('reverse', { minLength: '3' })).toThrow(/minLength must be an integer.*got "3"/);
    expect(() => createTask('reverse', { minLength: 5, maxLength: 4 })).toThrow('reverse: minLength (5) must be <= maxLength (4)');
    expect(() => createTask('reverse', { alphabet: 'aBc' })).toThrow(/alphabet must be lowercase letters a-z/);
    expect(() => createTask('reverse', { alphabet: 'a b' })).toThrow(/lowercase/);
    expect(() => createTask('reverse', { alphabet: '' })).toThrow(/lowercase/);
    expect(() => createTask('reverse', { alphabet: 'abca' })).toThrow("reverse: letter 'a' repeated in alphabet");
    expect(() => createTask('reverse', { alphabet: 'ab', minLength: 1, maxLength: 2 })).toThrow(
      /reverse: these params allow only 6 distinct problems; a held-out split needs at least 30/,
    );
  });
});
