import { describe, expect, it } from 'vitest';
import { SafetensorsError, halfToFloat, parseSafetensors, readSafetensorsHeader, serializeSafetensors } from './safetensors.ts';
import { safetensorsHeaderFuzz } from './safetensors-fuzz.ts';

/** Build a file by hand: header object + raw data bytes. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(0), headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const u16 = (values: number[]) => new Uint8Array(new Uint16Array(values).buffer);

function expectError(bytes: Uint8Array, pattern: RegExp) {
  let err: unknown;
  try {
    parseSafetensors(bytes);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(SafetensorsError);
  expect((err as Error).message).toMatch(pattern);
}

describe('safetensors', () => {
  it('round-trips F32 tensors with metadata, shapes and a space-padded, 8-byte aligned header', () => {
    const a = new Float32Array([1, -2.5, 3e-8, Infinity, -0, 1 / 3]);
    const b = new Float32Array([42]);
    const empty = new Float32Array(0);
    const bytes = serializeSafetensors(
      [
        { name: 'a', shape: [2, 3], data: a },
        { name: 'b', shape: [], data: b },
        { name: 'empty', shape: [0, 4], data: empty },
      ],
      { format: 'pt' },
    );
    const headerLen = new DataView(bytes.buffer).getUint32(0, true);
    expect((8 + headerLen) % 8).toBe(0);
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + headerLen));
    expect(headerText).toMatch(/^\{.*\} *$/);
    expect(JSON.parse(headerText).__metadata__).toEqual({ format: 'pt' });

    const parsed = parseSafetensors(bytes, { allowNonFinite: true });
    expect([...parsed.keys()]).toEqual(['a', 'b', 'empty']);
    expect(parsed.get('a')).toEqual({ dtype: 'F32', shape: [2, 3], data: a });
    expect(Object.is(parsed.get('a')!.data[4], -0)).toBe(true);
    expect(parsed.get('b')!.shape).toEqual([]);
    expect(parsed.get('b')!.data).toEqual(b);
    expect(parsed.get('empty')!.data.length).toBe(0);
    expect(readSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt' });
  });

  it('reads tensors at unaligned positions (subarray of a larger buffer)', () => {
    const bytes = serializeSafetensors([{ name: 'x', shape: [3], data: new Float32Array([1, 2, 3]) }]);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(Array.from(parseSafetensors(shifted.subarray(1)).get('x')!.data)).toEqual([1, 2, 3]);
  });

  it('decodes F16 against hand-computed values', () => {
    const cases: [number, number][] = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x3555, 0.333251953125],
      [0x7bff, 65504], // largest normal
      [0x0400, 2 ** -14], // smallest normal
      [0x0001, 2 ** -24], // smallest subnormal
      [0x03ff, 1023 * 2 ** -24], // largest subnormal
      [0x8001, -(2 ** -24)],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
      [0x0000, 0],
    ];
    const bytes = rawFile({ h: { dtype: 'F16', shape: [cases.length + 2], data_offsets: [0, 2 * (cases.length + 2)] } }, u16([...cases.map((c) => c[0]), 0x8000, 0x7e00]));
    const data = parseSafetensors(bytes, { allowNonFinite: true }).get('h')!.data;
    cases.forEach(([, v], i) => expect(data[i]).toBe(v));
    expect(Object.is(data[cases.length], -0)).toBe(true);
    expect(data[cases.length + 1]).toBeNaN();
    expect(halfToFloat(0x3c01)).toBe(1 + 2 ** -10);
  });

  it('decodes BF16 against hand-computed values', () => {
    const cases: [number, number][] = [
      [0x3f80, 1],
      [0xc000, -2],
      [0x4049, 3.140625],
      [0x0080, 2 ** -126], // smallest normal
      [0x0001, 2 ** -133], // smallest subnormal
      [0x7f7f, 3.3895313892515355e38], // largest finite
      [0x7f80, Infinity],
      [0xff80, -Infinity],
    ];
    const bytes = rawFile({ b: { dtype: 'BF16', shape: [2, 5], data_offsets: [0, 20] } }, u16([...cases.map((c) => c[0]), 0x7fc0, 0x8000]));
    const data = parseSafetensors(bytes, { allowNonFinite: true }).get('b')!.data;
    cases.forEach(([, v], i) => expect(data[i]).toBe(v));
    expect(data[8]).toBeNaN();
    expect(Object.is(data[9], -0)).toBe(true);
  });

  it('decodes F64 by rounding to F32', () => {
    const data = new Uint8Array(new Float64Array([0.1, -3]).buffer);
    const out = parseSafetensors(rawFile({ d: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } }, data)).get('d')!.data;
    expect(out[0]).toBe(Math.fround(0.1));
    expect(out[1]).toBe(-3);
  });

  it('rejects a file shorter than 8 bytes', () => {
    expectError(new Uint8Array(5), /5 bytes, shorter than the 8-byte header length/);
  });

  it('rejects a header length beyond the file', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, 1000, true);
    expectError(bytes, /header length 1000 is beyond the end of the file \(16 bytes\)/);
    new DataView(bytes.buffer).setUint32(4, 1, true); // a length above 2^32
    expectError(bytes, /header length 4294968296 is beyond/);
  });

  it('rejects a header that is not JSON', () => {
    expectError(rawFile(null, undefined, '{"a": [1, 2'), /header is not valid JSON/);
    expectError(rawFile(null, undefined, '[1, 2]'), /header is not a JSON object/);
  });

  it('rejects an unknown dtype, and a known one that is not a float', () => {
    expectError(rawFile({ x: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /tensor x: unknown dtype "Q4"/);
    expectError(
      rawFile({ x: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8)),
      /tensor x: dtype I64 cannot be converted to float32/,
    );
  });

  it('rejects data_offsets that do not match shape * dtype size', () => {
    expectError(
      rawFile({ x: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, new Uint8Array(12)),
      /tensor x: data_offsets \[0, 12\] span 12 bytes, but F32 shape \[2, 2\] needs 16/,
    );
    expectError(rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }, new Uint8Array(4)), /not \[begin, end\]/);
    expectError(rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /shape \[-1\] is not a list/);
  });

  it('rejects data_offsets outside the data section', () => {
    const header = {
      a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      b: { dtype: 'F32', shape: [1], data_offsets: [100, 104] },
    };
    expectError(rawFile(header, new Uint8Array(8)), /tensor b: data_offsets \[100, 104\] lie outside the data section \(8 bytes\)/);
  });

  it('rejects overlapping tensors', () => {
    const header = {
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] },
    };
    expectError(rawFile(header, new Uint8Array(12)), /tensors a and b overlap/);
  });

  it('rejects a truncated file', () => {
    const bytes = serializeSafetensors([
      { name: 'a', shape: [4], data: new Float32Array(4) },
      { name: 'b', shape: [4], data: new Float32Array(4) },
    ]);
    expectError(bytes.subarray(0, bytes.length - 3), /file is truncated: the header describes 32 bytes of tensor data but only 29 follow/);
  });

  it('refuses to write mismatched shapes and duplicate names', () => {
    expect(() => serializeSafetensors([{ name: 'a', shape: [3], data: new Float32Array(2) }])).toThrow(/data has 2 elements but shape \[3\] needs 3/);
    const t = { name: 'a', shape: [1], data: new Float32Array(1) };
    expect(() => serializeSafetensors([t, t])).toThrow(SafetensorsError);
  });

  it('a header length one byte short (or long) is refused, not loaded shifted', () => {
    const good = serializeSafetensors([{ name: 'w', shape: [4], data: new Float32Array([1, 2, 3, 4]) }]);
    const view = new DataView(good.buffer);
    const len = view.getUint32(0, true);
    const short = good.slice();
    new DataView(short.buffer).setUint32(0, len - 1, true); // the header's padding still parses as JSON
    expectError(short, /^data section is 17 bytes but its tensors cover 16: the header length \(\d+\) is wrong or bytes were appended$/);
    const appended = new Uint8Array(good.length + 3);
    appended.set(good);
    expectError(appended, /data section is 19 bytes but its tensors cover 16/);
    const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
    expectError(rawFile(gap, new Uint8Array(12)), /tensor b: data_offsets \[8, 12\] leave a gap at byte 4/);
  });

  it('dtype names that are Object.prototype keys are unknown dtypes', () => {
    for (const dtype of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expectError(rawFile({ x: { dtype, shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), new RegExp(`tensor x: unknown dtype "${dtype}"`));
    }
  });

  it('NaN or infinite weights are refused naming the tensor (unless asked for as they are)', () => {
    const bytes = serializeSafetensors([
      { name: 'ok', shape: [2], data: new Float32Array([1, 2]) },
      { name: 'model.layers.0.mlp.up_proj.weight', shape: [4], data: new Float32Array([0, NaN, 1, -Infinity]) },
    ]);
    expectError(bytes, /^tensor model\.layers\.0\.mlp\.up_proj\.weight: 2 of 4 values are NaN or infinite \(first at element 1, NaN\): the weights are corrupt$/);
    expect(Array.from(parseSafetensors(bytes, { allowNonFinite: true }).get('model.layers.0.mlp.up_proj.weight')!.data)).toEqual([0, NaN, 1, -Infinity]);
  });

  it('fuzzed headers: every malformed file is one SafetensorsError, and nothing loads shifted', () => {
    const { files, accepted } = safetensorsHeaderFuzz(3000, 2024);
    expect(files).toBe(3000);
    // every accepted mutant decodes exactly the tensors it declares, within the data section
    for (const a of accepted) expect(a.ok).toBe(true);
  });
});
