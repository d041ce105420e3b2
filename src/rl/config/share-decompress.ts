// lz-string's "EncodedURIComponent" format, decompressed with a bound on the output. lz-string's own
// decompressor has none, and an LZW stream's output grows with the square of its input (a 65,535-character
// link decompresses to 403 million characters), so share links are decoded here; lz-string still encodes them,
// and share-decompress.test.ts checks this decoder against it on random configs and random garbage.
// Contract: the decompressed text; null when the input is not a valid stream; ShareTooLarge past `maxChars`.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const SIX_BITS = new Map([...ALPHABET].map((c, i) => [c, i]));

export class ShareTooLarge extends Error {
  override name = 'ShareTooLarge';
}

/** Bits of the input, least significant first within each 6-bit character (lz-string's order); zeros past the end. */
class BitReader {
  private value: number;
  private mask = 32;
  private next = 1;

  constructor(private readonly text: string) {
    this.value = this.char(0);
  }

  private char(i: number): number {
    return SIX_BITS.get(this.text.charAt(i)) ?? 0; // lz-string reads unknown characters as 0 too
  }

  /** Past the last character (lz-string then ends the stream). */
  get exhausted(): boolean {
    return this.next > this.text.length;
  }

  read(bits: number): number {
    let out = 0;
    for (let b = 0; b < bits; b++) {
      if (this.value & this.mask) out |= 1 << b;
      this.mask >>= 1;
      if (this.mask === 0) {
        this.mask = 32;
        this.value = this.char(this.next++);
      }
    }
    return out >>> 0;
  }
}

/** Token codes: a literal 8-bit or 16-bit character follows, or the end of the stream. */
const CHAR8 = 0;
const CHAR16 = 1;
const END = 2;

export function decompressBounded(input: string, maxChars: number): string | null {
  if (input === '') return null;
  const bits = new BitReader(input.replace(/ /g, '+'));
  const dictionary: string[] = ['', '', '']; // codes 0-2 are the token codes above
  let width = 3; // bits per code; grows as the dictionary does
  let untilWider = 4;
  const out: string[] = [];
  let length = 0;
  const emit = (s: string) => {
    length += s.length;
    if (length > maxChars) throw new ShareTooLarge(`decompresses to more than ${maxChars} characters`);
    out.push(s);
  };
  const first = bits.read(2);
  if (first === END) return '';
  if (first !== CHAR8 && first !== CHAR16) return null;
  let previous = String.fromCharCode(bits.read(first === CHAR8 ? 8 : 16));
  dictionary.push(previous);
  emit(previous);
  for (;;) {
    if (bits.exhausted) return null; // the stream ended without its END token
    let code = bits.read(width);
    if (code === END) return out.join('');
    if (code === CHAR8 || code === CHAR16) {
      dictionary.push(String.fromCharCode(bits.read(code === CHAR8 ? 8 : 16)));
      code = dictionary.length - 1;
      if (--untilWider === 0) untilWider = 2 ** width++;
    }
    let entry: string;
    if (code < dictionary.length && code > END) entry = dictionary[code];
    else if (code === dictionary.length) entry = previous + previous.charAt(0);
    else return null;
    emit(entry);
    dictionary.push(previous + entry.charAt(0));
    previous = entry;
    if (--untilWider === 0) untilWider = 2 ** width++;
  }
}
