import { describe, expect, it } from 'vitest';
import { MAX_DATA_CHARS, MAX_ROWS, detectFormat, parseDataset } from './dataset.ts';

const errorOf = (text: string, format?: 'jsonl' | 'csv'): string => {
  try {
    parseDataset(text, format);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('parseDataset', () => {
  it('JSONL: prompt, answer (numbers become text), split, other keys into info, blank lines skipped', () => {
    const text = '{"prompt": "2+2?", "answer": 4}\n\n{"prompt": "Capital of Peru?", "answer": "Lima", "level": 2, "tags": ["geo"]}\n';
    expect(detectFormat(text)).toBe('jsonl');
    expect(parseDataset(text)).toEqual([
      { line: 1, prompt: '2+2?', answer: '4', info: {} },
      { line: 3, prompt: 'Capital of Peru?', answer: 'Lima', info: { level: 2, tags: ['geo'] } },
    ]);
  });

  it('CSV: header names the columns (case and spaces forgiven), extra columns into info as text', () => {
    const text = 'Prompt, ANSWER ,topic\n"Korea, South",Seoul,asia\nPeru,Lima,americas\n';
    expect(detectFormat(text)).toBe('csv');
    expect(parseDataset(text)).toEqual([
      { line: 2, prompt: 'Korea, South', answer: 'Seoul', info: { topic: 'asia' } },
      { line: 3, prompt: 'Peru', answer: 'Lima', info: { topic: 'americas' } },
    ]);
    expect(parseDataset('answer,split,prompt\n1,train,a\n2,eval,b')).toEqual([
      { line: 2, prompt: 'a', answer: '1', split: 'train', info: {} },
      { line: 3, prompt: 'b', answer: '2', split: 'eval', info: {} },
    ]);
  });

  it('JSONL errors name the line and the problem', () => {
    const ok = '{"prompt": "a", "answer": "b"}';
    expect(errorOf(`${ok}\n${ok}\n{"prompt": "c", "answer": }\n`)).toMatch(/^line 3: not valid JSON \(/);
    expect(errorOf(`${ok}\n["a", "b"]`)).toBe('line 2: must be a JSON object like {"prompt": "...", "answer": "..."}, got an array');
    expect(errorOf('"just text"', 'jsonl')).toMatch(/^line 1: must be a JSON object .*got string "just text"/);
    expect(errorOf('{"question": "a", "answer": "b"}')).toBe('line 1: missing "prompt"');
    expect(errorOf(`${ok}\n{"prompt": "a"}`)).toBe('line 2: missing "answer"');
    expect(errorOf('{"prompt": 3, "answer": "b"}')).toBe('line 1: "prompt" must be a string, got number 3');
    expect(errorOf('{"prompt": "a", "answer": null}')).toBe('line 1: "answer" must be a string or a number, got null');
    expect(errorOf('{"prompt": "   ", "answer": "b"}')).toBe('line 1: empty prompt');
    expect(errorOf('{"prompt": "a", "answer": ""}')).toBe('line 1: empty answer');
    expect(errorOf('{"prompt": "a", "answer": "b", "split": "test"}')).toBe('line 1: "split" must be "train" or "eval", got string "test"');
    expect(errorOf('{"prompt": "a", "answer": "b", "__proto__": {"x": 1}}')).toBe('line 1: key "__proto__" is not allowed');
    expect(errorOf(`{"prompt": "a", "answer": "b", "split": "eval"}\n${ok}`)).toBe('line 2: no "split", but line 1 has one: give every row a split or none');
    expect(errorOf(`{"prompt": "${'x'.repeat(10_001)}", "answer": "b"}`)).toBe('line 1: prompt is 10001 characters; the limit is 10000');
    expect(errorOf('\n\n', 'jsonl')).toBe('no rows: give one {"prompt": "...", "answer": "..."} object per line');
  });

  it('CSV errors name the line and the problem', () => {
    expect(errorOf('prompt,solution\na,b')).toBe('line 1: missing column "answer" (the header has: prompt, solution)');
    expect(errorOf('question,answer\na,b')).toBe('line 1: missing column "prompt" (the header has: question, answer)');
    expect(errorOf('prompt,answer,Prompt\na,b,c')).toBe('line 1: column "Prompt" appears twice in the header');
    expect(errorOf('prompt,answer,\na,b,c')).toBe('line 1: column 3 of the header has no name');
    expect(errorOf('prompt,answer,constructor\na,b,c')).toBe('line 1: column name "constructor" is not allowed');
    expect(errorOf('prompt,answer\na,b\nc,d,e\n')).toBe('line 3: 3 fields, but the header has 2 (quote fields that contain commas)');
    expect(errorOf('prompt,answer\na,b\nc\n')).toBe('line 3: 1 field, but the header has 2 (quote fields that contain commas)');
    expect(errorOf('prompt,answer\n"multi\nline",b\n,d\n')).toBe('line 4: empty prompt');
    expect(errorOf('prompt,answer\na, \n')).toBe('line 2: empty answer');
    expect(errorOf('prompt,answer\na,say "x"\n')).toMatch(/^line 2: a quote inside unquoted field 2/);
    expect(errorOf('prompt,answer\n"a,b\n')).toMatch(/^line 2: quoted field 1 is never closed/);
    expect(errorOf('prompt,answer,split\na,b,\n')).toBe('line 2: "split" must be "train" or "eval", got string ""');
    expect(errorOf('prompt,answer\n')).toBe('no rows: give a header line "prompt,answer" and one line per row');
    expect(errorOf('')).toBe('no rows: give a header line "prompt,answer" and one line per row');
  });

  it('hostile details: a byte-order mark, numbers too large, control characters in messages', () => {
    expect(parseDataset('\ufeff{"prompt": "p", "answer": "a"}\n')).toEqual([{ line: 1, prompt: 'p', answer: 'a', info: {} }]);
    expect(parseDataset('\ufeffprompt,answer\np,a')).toEqual(parseDataset('prompt,answer\np,a'));
    expect(errorOf('{"prompt": "p", "answer": 1e400}')).toBe('line 1: "answer" must be a string or a number, got number Infinity (too large for a number)');
    for (const text of ['{"prompt": "p\u0000", "answer": 7, "split": "tr\u0000ain"}', 'prompt,answer,split\np,a,x\u0000y', '{"prompt": "p", "answer": "a"}\n{\u0000}', 'prompt,ans\u0000wer\np,a']) {
      const message = errorOf(text);
      expect(message).toMatch(/^line \d+: /);
      // eslint-disable-next-line no-control-regex
      expect(message, JSON.stringify(text)).not.toMatch(/[\u0000-\u001f\ufeff]/);
    }
  });

  it('limits: characters and rows', () => {
    expect(errorOf('x'.repeat(MAX_DATA_CHARS + 1))).toBe(`data is ${MAX_DATA_CHARS + 1} characters; the limit is ${MAX_DATA_CHARS}`);
    const csv = 'prompt,answer\n' + Array.from({ length: MAX_ROWS + 1 }, (_, i) => `${i},1`).join('\n');
    expect(errorOf(csv)).toBe(`line ${MAX_ROWS + 2}: more than ${MAX_ROWS} rows`);
    const jsonl = Array.from({ length: MAX_ROWS + 1 }, () => '{"prompt":"a","answer":1}').join('\n');
    expect(jsonl.length).toBeLessThan(MAX_DATA_CHARS);
    expect(errorOf(jsonl)).toBe(`line ${MAX_ROWS + 1}: more than ${MAX_ROWS} rows`);
    expect(parseDataset(csv.split('\n').slice(0, MAX_ROWS + 1).join('\n')).length).toBe(MAX_ROWS);
  });
});
