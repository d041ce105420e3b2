import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { getPreset, PRESET_NAMES } from '../presets.ts';
import { defaultRunConfig, type RunConfig } from './schema.ts';
import { decodeShareUrl, encodeShareHash, MAX_SHARE_PAYLOAD, SHARE_PARAM, shareUrl, ShareUrlError, versionProblem } from './share.ts';

const linkOf = (json: string) => `http://localhost:5173/#${SHARE_PARAM}=${LZString.compressToEncodedURIComponent(json)}`;

function errorOf(url: string): string {
  try {
    decodeShareUrl(url);
  } catch (e) {
    expect(e).toBeInstanceOf(ShareUrlError);
    return (e as Error).message;
  }
  throw new Error('expected decodeShareUrl to throw');
}

describe('share URL codec', () => {
  it('round-trips a changed config exactly, through a full URL and through a bare hash', () => {
    const config: RunConfig = defaultRunConfig();
    config.grpo.learningRate = 0.005;
    config.grpo.groupSize = 4;
    config.rubric.criteria = [{ name: 'code', kind: 'custom_code', weight: 0.5, params: { code: 'return completion.length > 3 ? 1 : 0 // ü & + = #' } }];
    config.name = 'my run & co';
    const url = shareUrl(config, 'http://localhost:5173/some/path?x=1');
    expect(url.startsWith('http://localhost:5173/some/path?x=1#run=')).toBe(true);
    expect(decodeShareUrl(url)).toEqual(config);
    expect(decodeShareUrl(encodeShareHash(config))).toEqual(config);
    expect(decodeShareUrl(encodeShareHash(config).slice(1))).toEqual(config);
  });

  it('keeps only non-default values, so the default run is a short link', () => {
    expect(encodeShareHash(defaultRunConfig()).length).toBeLessThan(40);
    expect(decodeShareUrl(encodeShareHash(defaultRunConfig()))).toEqual(defaultRunConfig());
  });

  it('round-trips every preset', () => {
    expect(PRESET_NAMES.length).toBeGreaterThan(1);
    for (const name of PRESET_NAMES) expect(decodeShareUrl(encodeShareHash(getPreset(name)))).toEqual(getPreset(name));
  });

  it('reads links whose + signs became spaces (URLSearchParams decoding)', () => {
    const config = defaultRunConfig();
    config.grpo.learningRate = 0.00123;
    // Find a config whose payload has a '+' (lz-string's URI alphabet has one), so the test cannot pass vacuously.
    while (!encodeShareHash(config).includes('+')) config.seed += 1;
    const hash = encodeShareHash(config);
    expect(decodeShareUrl(hash.replace(/\+/g, '%20'))).toEqual(config);
  });

  it('ignores other hash params beside run= (curves, classroom)', () => {
    const config = defaultRunConfig();
    config.steps = 7;
    expect(decodeShareUrl(`${encodeShareHash(config)}&curves=abc&hide=rubric`)).toEqual(config);
  });
});

describe('share URL errors: one clear ShareUrlError message', () => {
  it('says a link from a newer version was made by a newer version (no schema dump)', () => {
    const msg = errorOf(linkOf('{"version":2,"grpo":{"newThing":1}}'));
    expect(msg).toMatch(/made by a newer version of GRPO Playground/);
    expect(msg).toMatch(/format version 2, this page reads version 1/);
    expect(msg).not.toMatch(/newThing|unknown key/);
  });

  it('says a link from an older version was made by an older version', () => {
    expect(errorOf(linkOf('{"version":0}'))).toMatch(/made by an older version of GRPO Playground/);
  });

  it('refuses data without a version', () => {
    expect(errorOf(linkOf('{"grpo":{"groupSize":4}}'))).toMatch(/no valid format version/);
    expect(errorOf(linkOf('{"version":"1"}'))).toMatch(/no valid format version/);
  });

  it('names the field of an invalid config', () => {
    expect(errorOf(linkOf('{"version":1,"grpo":{"learningRate":-1}}'))).toBe('share link holds an invalid run config: grpo.learningRate: must be > 0');
  });

  it('refuses missing, empty, corrupted, non-JSON and non-object payloads', () => {
    expect(errorOf('http://x/#hide=rubric')).toMatch(/no #run=/);
    expect(errorOf('http://x/#run=')).toMatch(/empty/);
    expect(errorOf('http://x/#run=%%%not-lz')).toMatch(/corrupted/);
    expect(errorOf(`http://x/#run=${LZString.compressToEncodedURIComponent('{not json')}`)).toMatch(/not valid JSON/);
    expect(errorOf(linkOf('[1,2]'))).toMatch(/not a run config object/);
    expect(errorOf(linkOf('null'))).toMatch(/not a run config object/);
  });

  it('refuses oversized payloads before decompressing them', () => {
    expect(errorOf(`http://x/#run=${'A'.repeat(MAX_SHARE_PAYLOAD + 1)}`)).toMatch(/too long \(65537 characters, the limit is 65536\)/);
  });

  it('refuses prototype keys', () => {
    expect(errorOf(linkOf('{"version":1,"grpo":{"__proto__":{"x":1}}}'))).toMatch(/key not allowed/);
  });
});

describe('versionProblem', () => {
  it('is null for the current version and names the data it is about', () => {
    expect(versionProblem(1)).toBeNull();
    expect(versionProblem(3, 'curve summary', 2)).toMatch(/^curve summary made by a newer version/);
  });
});

describe('share links: hostile input (fuzzed)', () => {
  it('any text as the payload gives a ShareUrlError, never another exception', () => {
    let seed = 99;
    const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), seed % n);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$ %#&=y';
    const valid = LZString.compressToEncodedURIComponent(JSON.stringify({ version: defaultRunConfig().version, name: 'x' }));
    const t0 = performance.now();
    for (let k = 0; k < 3000; k++) {
      const payload =
        k % 3 === 0
          ? Array.from({ length: 1 + rand(60) }, () => alphabet[rand(alphabet.length)]).join('')
          : k % 3 === 1
            ? valid.slice(0, rand(valid.length + 1)) + valid.slice(rand(valid.length))
            : valid.replace(/./g, (c) => (rand(20) === 0 ? alphabet[rand(alphabet.length)] : c));
      try {
        decodeShareUrl(`http://x/#run=${payload}`);
      } catch (e) {
        expect(e, payload).toBeInstanceOf(ShareUrlError);
        expect((e as Error).message).not.toMatch(/undefined|charAt|stack size/);
      }
    }
    expect(errorOf('http://x/#run=y')).toBe('share link is corrupted: its run data could not be decompressed');
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('deep nesting and decompression bombs are refused with one clear message, quickly', () => {
    const version = defaultRunConfig().version;
    const deep = `{"version":${version},"task":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const link = linkOf(deep);
    expect(link.length).toBeLessThan(2000);
    expect(errorOf(link)).toMatch(/^share link holds an invalid run config: task\.a\.a\.a\.a\.a…: nested deeper than 32 levels$/);
    const arrays = `{"version":${version},"name":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    expect(errorOf(linkOf(arrays))).toMatch(/nested deeper than 32 levels/);
    const bomb = LZString.compressToEncodedURIComponent(`{"version":${version},"name":"${'a'.repeat(3_000_000)}"}`);
    expect(bomb.length).toBeLessThan(MAX_SHARE_PAYLOAD);
    const t0 = performance.now();
    expect(errorOf(`#run=${bomb}`)).toBe('share link refused: its run data decompresses to more than 2097152 characters (a run config is far smaller)');
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
