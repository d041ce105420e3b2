import { describe, expect, it } from 'vitest';
import { packBatch, promptCompletion, type Segment } from './batch.ts';

const seg = (ids: number[], generated: boolean): Segment => ({ ids: Int32Array.from(ids), generated });
const PAD = 0;

describe('packBatch', () => {
  it('single-turn: prompt then completion, mask on the completion targets', () => {
    const b = packBatch([promptCompletion(Int32Array.from([1, 2, 3]), Int32Array.from([4, 5]), true)], PAD);
    expect(b.T).toBe(4);
    expect([...b.tokens]).toEqual([1, 2, 3, 4]);
    expect([...b.targets]).toEqual([2, 3, 4, 5]);
    expect([...b.mask]).toEqual([0, 0, 1, 1]);
    expect(b.generatedTokens).toBe(2);
  });

  it('multi-turn: only generated segments are trained, context between them is not', () => {
    const spec = {
      segments: [seg([1, 2], false), seg([10, 11], true), seg([20, 21, 22], false), seg([12], true), seg([23], false), seg([13, 14], true)],
      include: true,
    };
    const b = packBatch([spec], PAD);
    const ids = [1, 2, 10, 11, 20, 21, 22, 12, 23, 13, 14];
    expect(b.T).toBe(ids.length - 1);
    expect([...b.tokens]).toEqual(ids.slice(0, -1));
    expect([...b.targets]).toEqual(ids.slice(1));
    expect([...b.mask]).toEqual([0, 1, 1, 0, 0, 0, 1, 0, 1, 1]);
    expect(b.generatedTokens).toBe(5);
  });

  it('right-pads shorter sequences; excluded sequences and empty segments contribute no mask', () => {
    const b = packBatch(
      [
        { segments: [seg([1], false), seg([], true), seg([7, 8, 9, 10], true)], include: true },
        { segments: [seg([1, 2], false), seg([5], true)], include: false },
        { segments: [seg([3], false), seg([6, 6], true)], include: true },
      ],
      PAD,
    );
    expect(b.S).toBe(3);
    expect(b.T).toBe(4);
    expect([...b.mask]).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
    expect([...b.tokens.subarray(4)]).toEqual([1, 2, PAD, PAD, 3, 6, PAD, PAD]);
    expect([...b.targets.subarray(8)]).toEqual([6, 6, PAD, PAD]);
    expect(b.generatedTokens).toBe(7);
  });

  it('a generated first token is never a target (nothing predicts it)', () => {
    const b = packBatch([{ segments: [seg([4, 5], true)], include: true }], PAD);
    expect([...b.mask]).toEqual([1]);
    expect([...b.targets]).toEqual([5]);
  });
});
