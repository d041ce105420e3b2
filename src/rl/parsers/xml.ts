// XML-style field parser for model output such as "<think>...</think><answer>...</answer>", with a graded
// format score that gives partial credit before the format is fully right. Model output is untrusted: only
// indexOf/lastIndexOf scans (linear time, no regular expressions over the text, no eval).

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

/** Partial-credit breakdown of `XMLParser.formatScore`; every part is in [0, 1]. */
export interface FormatDetails {
  /** Mean over fields: 1 if its opening tag appears exactly once, 0.5 if more than once, 0 if never. */
  opening: number;
  /** Same for closing tags, counting only those after the field's first opening tag. */
  closing: number;
  /**
   * Fraction of order checks passed: for each field, its first opening tag comes before a closing tag
   * (n checks), and for each consecutive pair of fields, the first field's block closes before the next opens
   * (n-1 checks). A check involving a missing tag fails.
   */
  order: number;
  /** 1 if everything outside the field blocks is whitespace (only awarded when order is 1), else 0. */
  clean: number;
  /** (n*opening + n*closing + order + clean) / (2n + 2): each tag is worth as much as order or cleanliness. */
  score: number;
}

/** First block of a field: its first opening tag and the first closing tag after it (-1 when missing). */
interface Block {
  open: number;
  close: number;
  end: number;
}

function countOccurrences(text: string, needle: string, from = 0): number {
  let n = 0;
  for (let i = text.indexOf(needle, from); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

function isWhitespace(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11 || c === 0xa0)) return false;
  }
  return true;
}

export class XMLParser {
  readonly fields: readonly string[];

  /** Fields in the order the model should write them, e.g. ['think', 'answer']. */
  constructor(fields: string[]) {
    if (fields.length === 0) throw new Error('XMLParser needs at least one field');
    for (const f of fields) {
      if (!FIELD_NAME.test(f)) throw new Error(`invalid XML field name '${f}' (letters, digits, _ and -)`);
    }
    if (new Set(fields).size !== fields.length) throw new Error(`duplicate XML field in [${fields.join(', ')}]`);
    this.fields = [...fields];
  }

  /**
   * Content of the last occurrence of each field, trimmed: from the last `<f>` to the next `</f>`, or to the end
   * of the text when that last tag is never closed (generation may stop at a stop string or the token limit).
   * Fields that never open are undefined.
   */
  parse(text: string): Record<string, string | undefined> {
    const out: Record<string, string | undefined> = {};
    for (const f of this.fields) out[f] = this.parseField(text, f);
    return out;
  }

  /** `parse` for one field (which need not be one of this parser's fields). */
  parseField(text: string, field: string): string | undefined {
    const open = `<${field}>`;
    const start = text.lastIndexOf(open);
    if (start === -1) return undefined;
    const contentStart = start + open.length;
    const close = text.indexOf(`</${field}>`, contentStart);
    return text.slice(contentStart, close === -1 ? text.length : close).trim();
  }

  /** Graded format score in [0, 1]; see `FormatDetails` for the scheme. */
  formatScore(text: string): number {
    return this.formatDetails(text).score;
  }

  formatDetails(text: string): FormatDetails {
    const n = this.fields.length;
    let opening = 0;
    let closing = 0;
    const blocks: Block[] = [];
    for (const f of this.fields) {
      const openTag = `<${f}>`;
      const closeTag = `</${f}>`;
      const open = text.indexOf(openTag);
      const contentStart = open === -1 ? -1 : open + openTag.length;
      const close = open === -1 ? -1 : text.indexOf(closeTag, contentStart);
      const opens = open === -1 ? 0 : countOccurrences(text, openTag, open);
      const closes = close === -1 ? 0 : countOccurrences(text, closeTag, close);
      opening += opens === 1 ? 1 : opens > 1 ? 0.5 : 0;
      closing += closes === 1 ? 1 : closes > 1 ? 0.5 : 0;
      blocks.push({ open, close, end: close === -1 ? -1 : close + closeTag.length });
    }
    let passed = 0;
    for (let k = 0; k < n; k++) {
      if (blocks[k].close !== -1) passed++;
      if (k + 1 < n && blocks[k].end !== -1 && blocks[k + 1].open !== -1 && blocks[k].end <= blocks[k + 1].open) {
        passed++;
      }
    }
    const order = passed / (2 * n - 1);
    let clean = 0;
    if (order === 1) {
      let ok = isWhitespace(text, 0, blocks[0].open);
      for (let k = 0; ok && k + 1 < n; k++) ok = isWhitespace(text, blocks[k].end, blocks[k + 1].open);
      if (ok) ok = isWhitespace(text, blocks[n - 1].end, text.length);
      clean = ok ? 1 : 0;
    }
    opening /= n;
    closing /= n;
    const score = (n * opening + n * closing + order + clean) / (2 * n + 2);
    return { opening, closing, order, clean, score };
  }
}
