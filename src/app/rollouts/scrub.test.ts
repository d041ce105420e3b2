import { describe, expect, it } from 'vitest';
import { scrubIndex } from './scrub.ts';

describe('scrubIndex', () => {
  it('follows the latest kept step', () => {
    expect(scrubIndex([1, 2, 3], 1, true)).toBe(2);
    expect(scrubIndex([1, 2, 3], null, false)).toBe(2);
  });

  it('stays on the chosen step while newer steps arrive', () => {
    expect(scrubIndex([1, 2, 3, 4, 5], 2, false)).toBe(1);
  });

  it('moves to the nearest kept step when the chosen one was thinned away', () => {
    expect(scrubIndex([10, 20, 51, 52], 18, false)).toBe(1);
    expect(scrubIndex([10, 20, 51, 52], 40, false)).toBe(2);
  });

  it('says -1 when nothing is kept', () => {
    expect(scrubIndex([], 3, false)).toBe(-1);
  });
});
