import { describe, expect, it } from 'vitest';
import type { TokenView, TurnView } from '../../worker/protocol.ts';
import { tokensPerTurn, turnLabel } from './turns.ts';

const gen = (text: string): TokenView => ({ text, logprob: -1, trained: true, generated: true });
const ctx = (text: string): TokenView => ({ text, logprob: null, trained: false, generated: false });
const turn = (role: TurnView['role'], content: string): TurnView => ({ role, content, masked: role !== 'assistant' });

describe('tokensPerTurn', () => {
  const turns = [turn('assistant', '<tool>2+2</tool>'), turn('tool', '4'), turn('assistant', '<answer>4</answer>')];

  it('gives each assistant turn its run of generated tokens and environment turns none', () => {
    const tokens = [gen('<tool>'), gen('2+2'), ctx('\n4\n'), gen('<answer>4</answer>')];
    const texts = tokensPerTurn(turns, tokens).map((ts) => ts?.map((t) => t.text).join('') ?? null);
    expect(texts).toEqual(['<tool>2+2', null, '<answer>4</answer>']);
  });

  it('falls back to text for every turn when tokens and turns do not line up', () => {
    expect(tokensPerTurn(turns, [gen('a'), gen('b')])).toEqual([null, null, null]);
  });

  it('labels the environment turns', () => {
    expect(turnLabel('assistant')).toBe('model');
    expect(turnLabel('tool')).toBe('environment (tool)');
    expect(turnLabel('user')).toBe('environment (user)');
  });
});
