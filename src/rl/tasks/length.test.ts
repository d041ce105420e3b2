import { describe, expect, it } from 'vitest';
import { createTask, type Task } from './index.ts';
import { LENGTH_TOPICS } from './length.ts';

const trainPrompts = (task: Task, seeds: number[], n: number): Set<string> => {
  const out = new Set<string>();
  for (const seed of seeds) for (let i = 0; i < n; i++) out.add(task.trainRow(seed, i).prompt);
  return out;
};

describe('length task', () => {
  const task = createTask('length', {});

  it('prompts ask for N words about a topic; the answer is N; scored by exact_word_count', () => {
    expect(task.correctnessCriterion).toBe('exact_word_count');
    for (let i = 0; i < 100; i++) {
      const row = task.trainRow(4, i);
      const { words, topic } = row.info as { words: number; topic: string };
      expect(words).toBeGreaterThanOrEqual(3);
      expect(words).toBeLessThanOrEqual(8);
      expect(LENGTH_TOPICS).toContain(topic);
      expect(row.prompt).toBe(`${words} words about ${topic}`);
      expect(row.answer).toBe(String(words));
    }
    expect(createTask('length', { minWords: 1, maxWords: 1 }).trainRow(0, 0).prompt).toMatch(/^1 word about /);
  });

  it('deterministic; the held-out third of the 240 (topic, count) pairs is fixed and never trained on', () => {
    const again = createTask('length', {});
    for (let i = 0; i < 50; i++) expect(again.trainRow(2, i)).toEqual(task.trainRow(2, i));
    const held = task.evalRows(1000);
    expect(held.length).toBeGreaterThan(60);
    expect(held.length).toBeLessThan(100);
    expect(task.evalRows(32)).toEqual(held.slice(0, 32));
    const heldSet = new Set(held.map((r) => r.prompt));
    const train = trainPrompts(task, [0, 1, 2], 2000);
    expect(heldSet.size + train.size).toBe(240);
    for (const p of train) expect(heldSet.has(p)).toBe(false);
  });

  it('custom topics', () => {
    const t = createTask('length', { topics: 'owls, the tide ,jazz', minWords: 1, maxWords: 10 });
    const topics = new Set(Array.from({ length: 200 }, (_, i) => (t.trainRow(0, i).info as { topic: string }).topic));
    expect([...topics].sort()).toEqual(['jazz', 'owls', 'the tide']);
  });

  it('clear errors for bad params', () => {
    expect(() => createTask('length', { words: 3 })).toThrow("length: unknown param 'words' (known: minWords, maxWords, topics)");
    expect(() => createTask('length', { minWords: 0 })).toThrow('length: minWords must be an integer from 1 to 100, got 0');
    expect(() => createTask('length', { minWords: 9 })).toThrow('length: minWords (9) must be <= maxWords (8)');
    expect(() => createTask('length', { topics: 'a,,b' })).toThrow('length: topics must be a comma-separated list of non-empty topics');
    expect(() => createTask('length', { topics: 'a,b,a', maxWords: 50 })).toThrow("length: topic 'a' repeated");
    expect(() => createTask('length', { topics: 'a,b' })).toThrow(/only 12 distinct problems/);
    expect(() => createTask('length', { topics: 3 })).toThrow('length: topics must be a string, got 3');
  });
});
