import { describe, expect, it } from 'vitest';
import { Rubric } from '../rubric.ts';
import type { ScoreContext } from '../types.ts';

const ctx = (state: Record<string, unknown> | undefined): ScoreContext => ({ prompt: 'p', completion: '', answer: '7', state });
const game = (solved: boolean, turns: number, maxTurns = 5) => ctx({ solved, turns, maxTurns, moves: [] });

describe('solved, solved_in_turns, tool_use', () => {
  const rubric = new Rubric([
    { name: 'solved', kind: 'solved', weight: 1, params: {} },
    { name: 'fast', kind: 'solved_in_turns', weight: 1, params: {} },
    { name: 'two', kind: 'solved_in_turns', weight: 1, params: { turns: 2, shaping: 0.2 } },
    { name: 'flat', kind: 'solved_in_turns', weight: 1, params: { shaping: 0 } },
  ]);

  it('shape the outcome by turns used', async () => {
    expect((await rubric.score(game(true, 1))).scores).toEqual({ solved: 1, fast: 1, two: 1, flat: 1 });
    expect((await rubric.score(game(true, 2))).scores).toEqual({ solved: 1, fast: 0.875, two: 0.8, flat: 1 });
    expect((await rubric.score(game(true, 5))).scores).toEqual({ solved: 1, fast: 0.5, two: 0, flat: 1 });
    expect((await rubric.score(game(false, 5))).scores).toEqual({ solved: 0, fast: 0, two: 0, flat: 0 });
    // A one-turn game: solving scores 1.
    expect((await rubric.score(game(true, 1, 1))).scores.fast).toBe(1);
  });

  it('a state without the game fields is an error, not a silent 0', async () => {
    for (const state of [undefined, {}, { solved: 'yes', turns: 1, maxTurns: 2 }, { toolCalls: 1, toolFailures: 0 }]) {
      const s = await rubric.score(ctx(state));
      expect(s.errors, JSON.stringify(state)).toEqual({ solved: 1, fast: 1, two: 1, flat: 1 });
    }
  });

  it('tool_use: successful calls / min, capped at 1', async () => {
    const tools = new Rubric([
      { name: 'one', kind: 'tool_use', weight: 1, params: {} },
      { name: 'three', kind: 'tool_use', weight: 1, params: { min: 3 } },
    ]);
    expect((await tools.score(ctx({ toolCalls: 0, toolFailures: 0 }))).scores).toEqual({ one: 0, three: 0 });
    expect((await tools.score(ctx({ toolCalls: 3, toolFailures: 1 }))).scores).toEqual({ one: 1, three: 2 / 3 });
    expect((await tools.score(ctx({ solved: true, turns: 1, maxTurns: 1 }))).errors).toEqual({ one: 1, three: 1 });
  });

  it('params are checked', () => {
    expect(() => new Rubric([{ name: 'x', kind: 'solved_in_turns', weight: 1, params: { shaping: 2 } }])).toThrow(/shaping/);
    expect(() => new Rubric([{ name: 'x', kind: 'solved_in_turns', weight: 1, params: { turns: -1 } }])).toThrow(/turns/);
    expect(() => new Rubric([{ name: 'x', kind: 'tool_use', weight: 1, params: { min: 0 } }])).toThrow(/min/);
    expect(() => new Rubric([{ name: 'x', kind: 'solved', weight: 1, params: { turns: 1 } }])).toThrow(/unknown param 'turns'/);
  });
});
