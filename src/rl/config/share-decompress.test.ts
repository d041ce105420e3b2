// The bounded share-link decoder against lz-string itself (the encoder and the reference decoder).
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { decompressBounded, ShareTooLarge } from './share-decompress.ts';

let seed = 12345;
const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % n);
const randomText = (n: number, alphabet: string) => Array.from({ length: n }, () => alphabet[rand(alphabet.length)]).join('');

describe('decompressBounded', () => {
  it('decodes what lz-string encodes: random texts, unicode, repetitive and empty', () => {
    const samples = ['', 'a', 'aaaaaaaaaaaaaaaaaaaa', '{"version":1}', 'é🙂∑ü'.repeat(50), JSON.stringify({ a: [1, 2, { b: 'c'.repeat(300) }] })];
    for (let k = 0; k < 300; k++) samples.push(randomText(rand(400), k % 3 ? 'ab{}":,0123' : 'abcdefghijklmnopqrstuvwxyzéλ🙂 '));
    for (const s of samples) expect(decompressBounded(LZString.compressToEncodedURIComponent(s), 1e7)).toBe(s);
  });

  it('agrees with lz-string on random garbage, or refuses it (where lz-string crashes or reads an invalid first token)', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$ ';
    let compared = 0;
    for (let k = 0; k < 2000; k++) {
      const garbage = randomText(1 + rand(40), alphabet);
      let expected: string | null | undefined;
      try {
        expected = LZString.decompressFromEncodedURIComponent(garbage);
      } catch {
        expected = undefined; // lz-string throws on some garbage ("#run=y": reading 'charAt' of undefined)
      }
      const ours = decompressBounded(garbage, 1e6);
      if (expected === undefined || !expected) expect(ours === null || ours === '').toBe(true);
      else if (ours !== null) {
        compared++;
        expect(ours).toBe(expected);
      }
    }
    expect(compared).toBeGreaterThan(0);
    expect(decompressBounded('y', 100)).toBeNull();
  });

  it('stops at the bound: a short stream that expands quadratically', () => {
    const bomb = LZString.compressToEncodedURIComponent('a'.repeat(500_000));
    expect(bomb.length).toBeLessThan(2000);
    const t0 = performance.now();
    expect(() => decompressBounded(bomb, 100_000)).toThrow(ShareTooLarge);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(decompressBounded(bomb, 500_000)).toHaveLength(500_000);
  });
});
