import { describe, expect, it } from 'vitest';
import { cellText, lineRange, previewOwnData } from './own-data-preview.ts';

describe('previewOwnData', () => {
  it('shows the first rows and the columns, extra ones included', () => {
    const csv = 'prompt,answer,topic\n' + Array.from({ length: 8 }, (_, i) => `q${i},a${i},t${i}`).join('\n');
    const p = previewOwnData(csv);
    if (!p.ok) throw new Error(p.message);
    expect(p).toMatchObject({ format: 'csv', total: 8, columns: ['prompt', 'answer', 'topic'] });
    expect(p.rows).toHaveLength(5);
    expect(p.rows[0].line).toBe(2);
    expect(cellText(p.rows[0], 'topic')).toBe('t0');
  });

  it('gives the line of the first problem', () => {
    const p = previewOwnData('{"prompt": "a", "answer": "b"}\n\n{"prompt": "c", "answer": ""}');
    expect(p).toEqual({ ok: false, format: 'jsonl', message: 'line 3: empty answer', line: 3 });
    expect(previewOwnData('prompt,answer\nx', 'csv')).toMatchObject({ ok: false, line: 2 });
    expect(previewOwnData('')).toMatchObject({ ok: false, line: null, message: expect.stringMatching(/^no rows/) });
  });

  it('respects a forced format', () => {
    expect(previewOwnData('{"prompt": "a", "answer": "b"}', 'csv')).toMatchObject({ ok: false, format: 'csv' });
  });
});

describe('lineRange', () => {
  it('finds a line by number', () => {
    const text = 'one\ntwo\n\nfour';
    expect(lineRange(text, 1)).toEqual([0, 3]);
    expect(text.slice(...lineRange(text, 2))).toBe('two');
    expect(text.slice(...lineRange(text, 4))).toBe('four');
    expect(lineRange(text, 9)).toEqual([text.length, text.length]);
  });
});
