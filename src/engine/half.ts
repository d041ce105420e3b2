// Half-precision weights for the frozen base model: float32 -> bfloat16 / IEEE binary16 bits with round-to-nearest-
// even, back to float32, and packing two halves per u32 (element 2i in the low 16 bits, as WGSL's
// unpack2x16float reads them) so a GPU holds frozen weights in 2 bytes each without the shader-f16 feature.
import { halfToFloat } from './io/safetensors.ts';

export type HalfFormat = 'bf16' | 'f16';
export const HALF_FORMATS: readonly HalfFormat[] = ['bf16', 'f16'];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Round-to-nearest-even right shift of a non-negative integer below 2^31 by s in [1, 30]. */
function shiftRne(m: number, s: number): number {
  const q = m >>> s;
  const rem = m & ((1 << s) - 1);
  const half = 1 << (s - 1);
  return q + (rem > half || (rem === half && (q & 1) === 1) ? 1 : 0);
}

/** float32 -> bfloat16 bits (the top half of the float32, rounded to nearest even; NaN stays NaN). */
export function floatToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) | 0x40) & 0xffff; // quiet NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

/** bfloat16 bits -> number (exact). */
export function bf16ToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0];
}

/** float32 -> binary16 bits, round to nearest even; beyond the range it becomes +-Infinity (callers check). */
export function floatToF16(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 112; // the binary16 exponent field (bias 15) for a normal result
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // subnormal result: value / 2^-24 = (1.mant) * 2^(exp - 126), i.e. the 24-bit significand >> (14 - e)
    const s = 14 - e;
    if (s > 24) return sign;
    return sign | shiftRne(mant | 0x800000, s); // a carry to 0x400 is the smallest normal, as it should be
  }
  return sign | ((e << 10) + shiftRne(mant, 13)); // a mantissa carry bumps the exponent (up to Infinity)
}

/** binary16 bits -> number (exact). */
export const f16ToFloat = halfToFloat;

export function toHalfBits(format: HalfFormat): (x: number) => number {
  return format === 'bf16' ? floatToBf16 : floatToF16;
}

export function fromHalfBits(format: HalfFormat): (h: number) => number {
  return format === 'bf16' ? bf16ToFloat : f16ToFloat;
}

/** Largest finite magnitude of a format (binary16 overflows at 65504; bfloat16 has float32's range). */
export const HALF_MAX: Record<HalfFormat, number> = { bf16: 3.3895313892515355e38, f16: 65504 };

/**
 * Pack float32 values as halves, two per u32 word (Uint32Array of ceil(n/2) words, the last half zero for odd n).
 * Throws a RangeError naming the first value the format cannot hold (an f16 overflow), so it is never silent.
 */
export function packHalves(values: ArrayLike<number>, format: HalfFormat, what = 'tensor'): Uint32Array {
  const toBits = toHalfBits(format);
  const n = values.length;
  const out = new Uint32Array(Math.ceil(n / 2));
  const infBits = format === 'bf16' ? 0x7f80 : 0x7c00;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    const h = toBits(x);
    if ((h & 0x7fff) === infBits && Number.isFinite(x)) {
      throw new RangeError(`${what}: value ${x} at index ${i} is beyond ${format}'s range (+-${HALF_MAX[format]})${format === 'f16' ? '; use bf16' : ''}`);
    }
    out[i >> 1] |= h << ((i & 1) * 16);
  }
  return out;
}

/** The float32 values a packed buffer holds (what the GPU computes with): the oracle side of parity tests and export. */
export function unpackHalves(words: Uint32Array, n: number, format: HalfFormat): Float32Array {
  const fromBits = fromHalfBits(format);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fromBits((words[i >> 1] >>> ((i & 1) * 16)) & 0xffff);
  return out;
}

/** Unit roundoff of a format (half an ulp at 1): bf16 keeps 8 significant bits, f16 11. */
export const HALF_UNIT_ROUNDOFF: Record<HalfFormat, number> = { bf16: 2 ** -8, f16: 2 ** -11 };
