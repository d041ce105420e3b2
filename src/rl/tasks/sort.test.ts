import { describe, expect, it } from 'vitest';
import { listMatch } from '../rubric/kinds/list-match.ts';
import { createTask, type Task } from './index.ts';
import { SORT_WORDS } from './sort.ts';

const trainPrompts = (task: Task, seeds: number[], n: number): Set<string> => {
  const out = new Set<string>();
  for (const seed of seeds) for (let i = 0; i < n; i++) out.add(task.trainRow(seed, i).prompt);
  return out;
};

describe('sort task', () => {
  const task = createTask('sort', {});

  it('defaults: 3-5 numbers 0-99, comma-separated, answer sorted ascending', () => {
    expect(task.correctnessCriterion).toBe('list_match');
    for (let i = 0; i < 200; i++) {
      const row = task.trainRow(1, i);
      const items = row.prompt.split(', ').map(Number);
      expect(items.length).toBeGreaterThanOrEqual(3);
      expect(items.length).toBeLessThanOrEqual(5);
      for (const x of items) expect(Number.isInteger(x) && x >= 0 && x <= 99).toBe(true);
      expect(row.answer).toBe([...items].sort((a, b) => a - b).join(', '));
    }
  });

  it('numbers sort numerically (10 after 9), words alphabetically, descending when asked', () => {
    const rows = Array.from({ length: 300 }, (_, i) => task.trainRow(0, i));
    expect(rows.some((r) => /\b\d\b.*\b\d\d\b/.test(r.answer))).toBe(true);
    const words = createTask('sort', { items: 'words', descending: true });
    for (let i = 0; i < 100; i++) {
      const row = words.trainRow(2, i);
      const items = row.prompt.split(', ');
      for (const w of items) expect(SORT_WORDS).toContain(w);
      expect(row.answer).toBe([...items].sort().reverse().join(', '));
    }
    expect(words.systemPrompt).toMatch(/descending alphabetical/);
  });

  it('the built-in word list is 64 distinct lowercase words', () => {
    expect(SORT_WORDS.length).toBe(64);
    expect(new Set(SORT_WORDS).size).toBe(64);
    for (const w of SORT_WORDS) expect(w).toMatch(/^[a-z]+$/);
  });

  it('the reference answer scores 1 under list_match, in any separator style', () => {
    const fn = listMatch.create({ field: 'answer', caseSensitive: false });
    const row = task.trainRow(0, 0);
    const score = (text: string) => fn({ prompt: row.prompt, completion: `<answer>${text}</answer>`, answer: row.answer });
    expect(score(row.answer)).toBe(1);
    expect(score(row.answer.replaceAll(', ', ','))).toBe(1);
    expect(score(row.prompt === row.answer ? 'x' : row.prompt)).toBe(0);
  });

  it('deterministic per (seed, index); eval split fixed and disjoint', () => {
    const again = createTask('sort', {});
    for (let i = 0; i < 50; i++) expect(again.trainRow(9, i)).toEqual(task.trainRow(9, i));
    const held = task.evalRows(200);
    expect(held.length).toBe(200);
    expect(again.evalRows(20)).toEqual(held.slice(0, 20));
    const heldSet = new Set(held.map((r) => r.prompt));
    for (const p of trainPrompts(task, [0, 1], 3000)) expect(heldSet.has(p), p).toBe(false);
  });

  it('clear errors for bad params', () => {
    expect(() => createTask('sort', { items: 'letters' })).toThrow('sort: items must be one of "numbers", "words", got "letters"');
    expect(() => createTask('sort', { minItems: 1 })).toThrow('sort: minItems must be an integer from 2 to 20, got 1');
    expect(() => createTask('sort', { minItems: 6 })).toThrow('sort: minItems (6) must be <= maxItems (5)');
    expect(() => createTask('sort', { items: 'words', maxValue: 9 })).toThrow('sort: maxValue only applies when items is "numbers"');
    expect(() => createTask('sort', { descending: 'yes' })).toThrow('sort: descending must be true or false, got "yes"');
    expect(() => createTask('sort', { maxValue: 1, minItems: 2, maxItems: 3 })).toThrow(/only 12 distinct problems/);
  });
});
