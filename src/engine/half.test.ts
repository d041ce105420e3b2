// Half-precision conversions: every one of the 65,536 bit patterns survives a round trip, rounding is to nearest
// with ties to even (midpoints built by hand below), subnormals and overflow behave as IEEE 754 says, and packing
// puts element 2i in the low half of word i.
import { describe, expect, it } from 'vitest';
import { bf16ToFloat, f16ToFloat, floatToBf16, floatToF16, packHalves, unpackHalves } from './half.ts';

describe('half precision', () => {
  it('every bf16 and f16 bit pattern round-trips (NaN stays NaN)', () => {
    for (let h = 0; h < 65536; h++) {
      const b = bf16ToFloat(h);
      if (Number.isNaN(b)) expect(Number.isNaN(bf16ToFloat(floatToBf16(b)))).toBe(true);
      else if (floatToBf16(b) !== h) throw new Error(`bf16 ${h.toString(16)} -> ${b} -> ${floatToBf16(b).toString(16)}`);
      const f = f16ToFloat(h);
      if (Number.isNaN(f)) expect(Number.isNaN(f16ToFloat(floatToF16(f)))).toBe(true);
      else if (floatToF16(f) !== h) throw new Error(`f16 ${h.toString(16)} -> ${f} -> ${floatToF16(f).toString(16)}`);
    }
  });

  it('rounds to nearest, ties to even', () => {
    // bf16 keeps 7 mantissa bits: ulp at 1 is 2^-7. 1 + 2^-8 is a tie between 1 (even) and 1 + 2^-7 (odd) -> 1;
    // 1 + 3*2^-8 ties between 1 + 2^-7 (odd) and 1 + 2^-6 (even) -> 1 + 2^-6; just above a tie rounds up.
    expect(bf16ToFloat(floatToBf16(1 + 2 ** -8))).toBe(1);
    expect(bf16ToFloat(floatToBf16(1 + 3 * 2 ** -8))).toBe(1 + 2 ** -6);
    expect(bf16ToFloat(floatToBf16(1 + 2 ** -8 + 2 ** -20))).toBe(1 + 2 ** -7);
    // f16 keeps 10: ulp at 1 is 2^-10.
    expect(f16ToFloat(floatToF16(1 + 2 ** -11))).toBe(1);
    expect(f16ToFloat(floatToF16(1 + 3 * 2 ** -11))).toBe(1 + 2 ** -9);
    expect(f16ToFloat(floatToF16(1 + 2 ** -11 + 2 ** -20))).toBe(1 + 2 ** -10);
    expect(f16ToFloat(floatToF16(-2.5e-3))).toBeCloseTo(-2.5e-3, 5);
  });

  it('f16 subnormals, underflow and overflow', () => {
    expect(f16ToFloat(floatToF16(2 ** -24))).toBe(2 ** -24); // smallest subnormal
    expect(f16ToFloat(floatToF16(3 * 2 ** -25))).toBe(2 ** -23); // tie 1.5 ulp -> 2 (even)
    expect(f16ToFloat(floatToF16(2 ** -26))).toBe(0); // below half the smallest subnormal
    expect(f16ToFloat(floatToF16(2 ** -14 - 2 ** -26))).toBe(2 ** -14); // rounds up into the normals
    expect(f16ToFloat(floatToF16(65519))).toBe(65504);
    expect(f16ToFloat(floatToF16(65520))).toBe(Infinity);
    expect(Object.is(f16ToFloat(floatToF16(-0)), -0)).toBe(true);
  });

  it('packs two per word, low half first, and refuses values f16 cannot hold', () => {
    const words = packHalves([1, -2, 0.5], 'f16');
    expect(words.length).toBe(2);
    expect(words[0]).toBe(0xc000 * 65536 + 0x3c00); // -2 = 0xc000 high, 1 = 0x3c00 low
    expect(words[1]).toBe(0x3800);
    expect(Array.from(unpackHalves(words, 3, 'f16'))).toEqual([1, -2, 0.5]);
    expect(Array.from(unpackHalves(packHalves([3.140625, 1e30, -7], 'bf16'), 3, 'bf16'))).toEqual([3.140625, bf16ToFloat(floatToBf16(1e30)), -7]);
    expect(() => packHalves([1, 70000], 'f16', 'model.layers.0.mlp.up_proj.weight')).toThrow(
      /model\.layers\.0\.mlp\.up_proj\.weight: value 70000 at index 1 is beyond f16's range.*use bf16/,
    );
  });
});
