import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.ts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);
const lines = (text: string) => parseCsv(text).map((r) => r.line);
function errorOf(text: string): string {
  try {
    parseCsv(text);
  } catch (e) {
    if (e instanceof CsvError) return `line ${e.line}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('parseCsv (RFC 4180)', () => {
  it('plain records, any line ending, empty fields, no trailing empty record', () => {
    expect(fields('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,b\r\n1,2\r\n3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(fields('a,b\r1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(fields('a,,\n,,')).toEqual([['a', '', ''], ['', '', '']]);
    expect(fields(' a , b ')).toEqual([[' a ', ' b ']]);
    expect(fields('')).toEqual([]);
  });

  it('quoted fields hold commas, doubled quotes and line breaks; line numbers follow the text', () => {
    const text = 'prompt,answer\n"Korea, South",Seoul\n"say ""hi""",hi\n"two\nlines",x\r\n"",y\n';
    expect(fields(text)).toEqual([
      ['prompt', 'answer'],
      ['Korea, South', 'Seoul'],
      ['say "hi"', 'hi'],
      ['two\nlines', 'x'],
      ['', 'y'],
    ]);
    expect(lines(text)).toEqual([1, 2, 3, 4, 6]);
    expect(fields('"a\r\nb",c')).toEqual([['a\r\nb', 'c']]);
  });

  it('skips a byte-order mark and blank lines (counting them)', () => {
    const text = '\ufeffa,b\n\n1,2\n\r\n3,4\n\n';
    expect(fields(text)).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
    expect(lines(text)).toEqual([1, 3, 5]);
  });

  it('malformed quoting names the line', () => {
    expect(errorOf('a,b\n1,say "hi"\n')).toBe(
      'line 2: a quote inside unquoted field 2 (quote the whole field and double its quotes: "say ""hi""")',
    );
    expect(errorOf('a,b\n"x"y,2')).toBe('line 2: text after the closing quote of field 1 (write a quote inside a quoted field as "")');
    expect(errorOf('a,b\n1,2\n"never\nclosed,3\n4,5')).toBe('line 3: quoted field 1 is never closed (a quote opens it on this line)');
    // the record starts on line 2 (its first field spans two lines); the unclosed quote is on line 3
    expect(errorOf('a,b\n"x\ny","z\n4,5')).toBe('line 2: quoted field 2 is never closed (the record starts here; the quote opens on line 3)');
    expect(errorOf('a,b\n"multi\nline" x,1')).toBe('line 3: text after the closing quote of field 1 (write a quote inside a quoted field as "")');
  });

  it('is linear on large input', () => {
    const row = '"a, ""quoted"" field",plain,123\n';
    const t0 = performance.now();
    expect(parseCsv(row.repeat(20_000)).length).toBe(20_000);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
