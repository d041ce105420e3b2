import { describe, expect, it } from 'vitest';
import { heldOutChange, type ScoredAnswer } from './held-out-change.ts';

const row = (prompt: string, completion: string, correct: number): ScoredAnswer => ({ prompt, completion, answer: 'ref', correct });

describe('heldOutChange', () => {
  it('counts wrong -> right and right -> wrong and keeps the first fixed problem as the example', () => {
    const before = [row('1+9', '01', 0), row('2+2', '4', 1), row('5+6', '01', 0), row('7+7', '41', 0)];
    const after = [row('1+9', '10', 1), row('2+2', '5', 0), row('5+6', '11', 1), row('7+7', '41', 0)];
    expect(heldOutChange(before, 0, after, 60)).toEqual({
      fromStep: 0,
      toStep: 60,
      total: 4,
      fixed: 2,
      broken: 1,
      example: { prompt: '1+9', answer: 'ref', before: '01', after: '10' },
    });
  });

  it('has no example when nothing was fixed, and nothing to say about different row sets', () => {
    expect(heldOutChange([row('a', 'x', 1)], 0, [row('a', 'x', 1)], 10)).toEqual({ fromStep: 0, toStep: 10, total: 1, fixed: 0, broken: 0 });
    expect(heldOutChange([row('a', 'x', 1)], 0, [], 10)).toBeNull();
    // Same length, other prompts: not compared.
    expect(heldOutChange([row('a', 'x', 0)], 0, [row('b', 'y', 1)], 10)).toMatchObject({ fixed: 0, broken: 0 });
  });
});
