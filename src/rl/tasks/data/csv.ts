// CSV (RFC 4180) records with the line each starts on, for people's own data sets. Fields are separated by
// commas; a field in double quotes may hold commas, line breaks and doubled quotes (""). Line breaks are CRLF,
// LF or CR; a byte-order mark and completely empty lines are skipped. Malformed input (a stray quote, text
// after a closing quote, an unclosed quote) throws CsvError naming the line (for an unclosed quote, the line its
// record starts on). Written here rather than taken
// from npm: csv-parse needs Node's Buffer (a 120 KB polyfilled bundle in the browser) and papaparse reports
// record indexes rather than line numbers and repairs malformed quotes silently; this grammar is 60 lines.

export class CsvError extends Error {
  override name = 'CsvError';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  /** 1-based line on which the record starts. */
  line: number;
  fields: string[];
}

const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let quoted = false;
    for (;;) {
      if (text[i] === '"') {
        quoted = true;
        const openLine = line;
        let value = '';
        let from = ++i;
        for (;;) {
          if (i >= n) {
            const where = openLine === start ? 'a quote opens it on this line' : `the record starts here; the quote opens on line ${openLine}`;
            throw new CsvError(start, `quoted field ${fields.length + 1} is never closed (${where})`);
          }
          const c = text[i];
          if (c === '"') {
            value += text.slice(from, i);
            if (text[i + 1] !== '"') break;
            value += '"';
            i += 2;
            from = i;
            continue;
          }
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          i++;
        }
        i++; // the closing quote
        if (i < n && text[i] !== ',' && !isBreak(text[i])) {
          throw new CsvError(line, `text after the closing quote of field ${fields.length + 1} (write a quote inside a quoted field as "")`);
        }
        fields.push(value);
      } else {
        const from = i;
        while (i < n && text[i] !== ',' && !isBreak(text[i])) {
          if (text[i] === '"') {
            throw new CsvError(line, `a quote inside unquoted field ${fields.length + 1} (quote the whole field and double its quotes: "say ""hi""")`);
          }
          i++;
        }
        fields.push(text.slice(from, i));
      }
      if (text[i] !== ',') break;
      i++;
    }
    if (i < n) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
    }
    if (quoted || fields.length > 1 || fields[0] !== '') records.push({ line: start, fields });
  }
  return records;
}
