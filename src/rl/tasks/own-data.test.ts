import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../config/schema.ts';
import { MAX_DATA_CHARS } from './data/dataset.ts';
import { createTask, validateTaskParams } from './index.ts';

const csv = (n: number, extra = '') => 'prompt,answer\n' + Array.from({ length: n }, (_, i) => `q${i},a${i}${extra}`).join('\n');
const errorOf = (params: Record<string, string | number | boolean>): string => {
  try {
    validateTaskParams('own-data', params);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('own-data task', () => {
  it('rows come from the data; answers and info as given; eval/accuracy criterion from params', () => {
    const task = createTask('own-data', { data: '{"prompt": "2+2", "answer": 4, "level": "easy"}\n{"prompt": "3+3", "answer": "6"}' });
    expect(task.correctnessCriterion).toBe('correct_answer');
    expect(task.systemPrompt).toBe('Reply with only the answer, inside <answer></answer> tags.');
    const rows = [task.trainRow(0, 0), ...task.evalRows(5)];
    expect(rows).toContainEqual({ prompt: '2+2', answer: '4', info: { level: 'easy', line: 1 } });
    expect(rows).toContainEqual({ prompt: '3+3', answer: '6', info: { line: 2 } });
    const t = createTask('own-data', { data: csv(5), correctness: 'list_match', systemPrompt: 'Be brief.' });
    expect(t.correctnessCriterion).toBe('list_match');
    expect(t.systemPrompt).toBe('Be brief.');
  });

  it('hash split: round(U * evalFraction) prompts held out, independent of row order and run seed', () => {
    const task = createTask('own-data', { data: csv(100) });
    expect(task.description).toBe('own data (CSV): 100 rows, 80 for training, 20 held out (by prompt hash, 20%)');
    const held = task.evalRows(1000).map((r) => r.prompt);
    expect(held.length).toBe(20);
    // file order
    expect(held).toEqual([...held].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1))));
    expect(task.evalRows(5).map((r) => r.prompt)).toEqual(held.slice(0, 5));
    const reversed = 'prompt,answer\n' + Array.from({ length: 100 }, (_, i) => `q${99 - i},a${99 - i}`).join('\n');
    expect(new Set(createTask('own-data', { data: reversed }).evalRows(100).map((r) => r.prompt))).toEqual(new Set(held));
    const train = new Set<string>();
    for (const seed of [0, 1, 2]) for (let i = 0; i < 400; i++) train.add(task.trainRow(seed, i).prompt);
    expect(train.size).toBe(80);
    for (const p of held) expect(train.has(p)).toBe(false);
    expect(createTask('own-data', { data: csv(100), evalFraction: 0.5 }).evalRows(100).length).toBe(50);
  });

  it('repeated prompts stay on one side of the split', () => {
    const data = 'prompt,answer\n' + Array.from({ length: 60 }, (_, i) => `q${i % 20},a${i}`).join('\n');
    const task = createTask('own-data', { data });
    const held = new Set(task.evalRows(100).map((r) => r.prompt));
    expect(held.size).toBe(4);
    expect(task.evalRows(100).length).toBe(12);
    for (let i = 0; i < 300; i++) expect(held.has(task.trainRow(0, i).prompt)).toBe(false);
  });

  it('training visits every row once per epoch, in a seeded order; pure function of (seed, index)', () => {
    const task = createTask('own-data', { data: csv(50), evalFraction: 0 });
    expect(task.description).toMatch(/none held out: eval reuses the training rows/);
    const epoch = (seed: number, e: number) => Array.from({ length: 50 }, (_, i) => task.trainRow(seed, e * 50 + i).prompt);
    expect(new Set(epoch(0, 0)).size).toBe(50);
    expect(new Set(epoch(0, 1)).size).toBe(50);
    expect(epoch(0, 0)).not.toEqual(epoch(0, 1));
    expect(epoch(0, 0)).not.toEqual(epoch(1, 0));
    const again = createTask('own-data', { data: csv(50), evalFraction: 0 });
    expect(again.trainRow(0, 77)).toEqual(task.trainRow(0, 77));
    expect(task.trainRow(0, 3)).toEqual(task.trainRow(0, 3)); // out of order access
    expect(task.evalRows(10).map((r) => r.prompt)).toEqual(Array.from({ length: 10 }, (_, i) => `q${i}`));
  });

  it('a split column decides the split; a prompt in both splits or no training rows is an error', () => {
    const data = 'prompt,answer,split\na,1,train\nb,2,eval\nc,3,train\n';
    const task = createTask('own-data', { data });
    expect(task.description).toBe('own data (CSV): 3 rows, 2 for training, 1 held out (by the split column)');
    expect(task.evalRows(10).map((r) => r.prompt)).toEqual(['b']);
    const jsonl = '{"prompt": "a", "answer": "1", "split": "eval"}\n{"prompt": "b", "answer": "2", "split": "train"}';
    expect(createTask('own-data', { data: jsonl }).evalRows(9)).toEqual([{ prompt: 'a', answer: '1', info: { line: 1 } }]);
    expect(errorOf({ data: 'prompt,answer,split\na,1,train\nb,2,eval\na,3,eval\n' })).toBe(
      'own-data: data: line 4: the same prompt is in the train split on line 2; a prompt belongs to one split only',
    );
    expect(errorOf({ data: 'prompt,answer,split\na,1,eval\n' })).toBe('own-data: data: no training rows (every row has split "eval")');
  });

  it('a single row cannot be split: eval reuses it', () => {
    const task = createTask('own-data', { data: 'prompt,answer\nonly,one' });
    expect(task.evalRows(3)).toEqual([{ prompt: 'only', answer: 'one', info: { line: 2 } }]);
    expect(task.trainRow(5, 9).prompt).toBe('only');
    expect(() => task.evalRows(-1)).toThrow(/non-negative/);
  });

  it('param and data errors name the task, the format and the line', () => {
    expect(errorOf({})).toBe('own-data: data is missing: put the JSONL or CSV text in task.params.data');
    expect(errorOf({ data: csv(3), file: 'x.csv' })).toBe(
      "own-data: unknown param 'file' (known: data, format, evalFraction, systemPrompt, correctness)",
    );
    expect(errorOf({ data: 3 })).toBe('own-data: data must be a string, got 3');
    expect(errorOf({ data: csv(3), format: 'tsv' })).toBe('own-data: format must be one of "auto", "jsonl", "csv", got "tsv"');
    expect(errorOf({ data: csv(3), evalFraction: 1 })).toBe('own-data: evalFraction must be a number from 0 to 0.9, got 1');
    expect(errorOf({ data: csv(3), correctness: 'judge_me' })).toMatch(/^own-data: correctness must be one of "correct_answer", .*got "judge_me"/);
    expect(errorOf({ data: '{"prompt": "a", "answer": "b"}\n{"prompt": "c", "answer": "d"}\n{"prompt": "e" "answer": "f"}' })).toMatch(
      /^own-data: data \(JSONL\): line 3: not valid JSON \(/,
    );
    expect(errorOf({ data: 'prompt,solution\na,b' })).toBe('own-data: data (CSV): line 1: missing column "answer" (the header has: prompt, solution)');
    expect(errorOf({ data: csv(3), format: 'jsonl' })).toMatch(/^own-data: data \(JSONL\): line 1: not valid JSON/);
    expect(errorOf({ data: '' })).toBe('own-data: data (CSV): no rows: give a header line "prompt,answer" and one line per row');
  });

  it('the run config carries data sets up to MAX_DATA_CHARS; errors point at task.params', () => {
    const big = csv(3000, 'x'.repeat(40));
    expect(big.length).toBeGreaterThan(100_000);
    expect(big.length).toBeLessThan(MAX_DATA_CHARS);
    const config = parseRunConfig({ version: 1, task: { name: 'own-data', params: { data: big } } });
    expect(config.task.params.data).toBe(big);
    const parse = (data: string) => () => parseRunConfig({ version: 1, task: { name: 'own-data', params: { data } } });
    expect(parse('x'.repeat(MAX_DATA_CHARS + 1))).toThrow(`task.params.data: must be at most ${MAX_DATA_CHARS} characters`);
    expect(parse('prompt,answer\na,b\nc,"d\n')).toThrow(/^task\.params: own-data: data \(CSV\): line 3: quoted field 2 is never closed/);
    // other params keep the usual limit
    expect(() => parseRunConfig({ version: 1, rubric: { criteria: [{ name: 'x', kind: 'xml_format', weight: 1, params: { fields: 'a'.repeat(10_001) } }] } })).toThrow(/at most 10000 characters/);
  });
});
