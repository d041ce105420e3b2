import { describe, expect, it } from 'vitest';
import { accumulate, add, copy, scale, sumSquares, zero } from './elementwise.ts';
import { expectClose } from './testing.ts';

describe('elementwise', () => {
  it('add, accumulate, scale, zero, copy', () => {
    const a = new Float32Array([1, 2, 3]);
    const b = new Float32Array([10, 20, 30]);
    const out = new Float32Array(3);
    add(out, a, b);
    expectClose('add', out, [11, 22, 33], 0);
    accumulate(out, a);
    expectClose('accumulate', out, [12, 24, 36], 0);
    scale(out, 0.5);
    expectClose('scale', out, [6, 12, 18], 0);
    copy(out, b);
    expectClose('copy', out, [10, 20, 30], 0);
    zero(out);
    expectClose('zero', out, [0, 0, 0], 0);
    expect(() => copy(out, new Float32Array(2))).toThrow(/length/);
    expect(() => add(out, a, new Float32Array(4))).toThrow(/length/);
  });

  it('sumSquares accumulates in f64 (odd length too)', () => {
    const x = new Float32Array(10001).fill(0.1);
    const f = Math.fround(0.1);
    expect(Math.abs(sumSquares(x) - 10001 * f * f)).toBeLessThan(1e-9);
    expect(sumSquares(new Float64Array([3, 4, 12]))).toBe(169);
  });
});
