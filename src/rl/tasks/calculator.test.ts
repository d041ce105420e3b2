import { describe, expect, it } from 'vitest';
import { evaluateArithmetic } from '../envs/calculator-tool.ts';
import type { ChatMessage, ToolState } from '../envs/types.ts';
import { Rubric } from '../rubric/rubric.ts';
import { createCalculatorTask } from './calculator.ts';
import { createTask } from './index.ts';

describe('calculator task', () => {
  const task = createCalculatorTask({});
  const env = task.environment;

  it('defaults: three operands up to 99 with + - *, answers by precedence, correct_answer as correctness', () => {
    expect(task.name).toBe('calculator');
    expect(task.correctnessCriterion).toBe('correct_answer');
    expect(env.maxTurns).toBe(3);
    const ops = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const row = task.trainRow(0, i);
      expect(row.prompt).toMatch(/^\d{1,2}[-+*]\d{1,2}[-+*]\d{1,2}$/);
      expect(row.answer).toBe(String(evaluateArithmetic(row.prompt)));
      for (const c of row.prompt) if ('+-*'.includes(c)) ops.add(c);
    }
    expect([...ops].sort()).toEqual(['*', '+', '-']);
    expect(task.systemPrompt).toContain('<answer>N</answer>');
    expect(task.systemPrompt).toContain('<tool>NAME</tool><args>ARGUMENTS</args>');
    expect(task.systemPrompt).toContain('calculator: arithmetic with');
  });

  it('a whole episode: call the tool, read the result, answer; scored by correct_answer and tool_use', async () => {
    const row = { prompt: '37*48+12', answer: '1788' };
    const messages: ChatMessage[] = env.initialMessages(row);
    let state = env.initialState(row) as ToolState;
    messages.push({ role: 'assistant', content: '<tool>calculator</tool><args>37*48+12</args>' });
    const first = await env.respond({ row, messages, state, turn: 1 });
    expect(first).toMatchObject({ done: false, messages: [{ role: 'tool', content: '1788' }], toolCalls: 1, toolFailures: 0 });
    messages.push(...first.messages!);
    state = first.state as ToolState;
    messages.push({ role: 'assistant', content: '<answer>1788</answer>' });
    const second = await env.respond({ row, messages, state, turn: 2 });
    expect(second.done).toBe(true);
    expect(second.state).toEqual({ toolCalls: 1, toolFailures: 0 });

    const rubric = new Rubric([
      { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
      { name: 'tool_use', kind: 'tool_use', weight: 0.2, params: {} },
      { name: 'two_calls', kind: 'tool_use', weight: 0, params: { min: 2 } },
    ]);
    const ctx = { prompt: row.prompt, completion: '<answer>1788</answer>', answer: row.answer, messages, state: { ...(second.state as ToolState) } };
    expect((await rubric.score(ctx)).scores).toEqual({ correct_answer: 1, tool_use: 1, two_calls: 0.5 });
    const failed = await rubric.score({ ...ctx, state: { toolCalls: 2, toolFailures: 2 } });
    expect(failed.scores.tool_use).toBe(0);
    const noState = await rubric.score({ ...ctx, state: undefined });
    expect(noState.errors.tool_use).toBe(1);
  });

  it('held-out split: eval problems never appear in training, and are fixed', () => {
    const held = task.evalRows(200);
    expect(held).toHaveLength(200);
    expect(createCalculatorTask({ maxTurns: 5 }).evalRows(20)).toEqual(held.slice(0, 20));
    const heldSet = new Set(held.map((r) => r.prompt));
    for (let i = 0; i < 3000; i++) expect(heldSet.has(task.trainRow(1, i).prompt)).toBe(false);
  });

  it('params and clear errors', () => {
    const t = createTask('calculator', { maxOperand: 9999, terms: 2, ops: '*' });
    expect(t.trainRow(0, 0).prompt).toMatch(/^\d{1,4}\*\d{1,4}$/);
    expect(() => createTask('calculator', { ops: '/' })).toThrow('calculator: ops must be distinct operators from "+-*", got "/"');
    expect(() => createTask('calculator', { ops: '++' })).toThrow(/distinct operators/);
    expect(() => createTask('calculator', { terms: 5 })).toThrow('calculator: terms must be an integer from 2 to 4, got 5');
    expect(() => createTask('calculator', { maxOperand: 1, terms: 2, ops: '+' })).toThrow(/only 4 distinct problems/);
  });
});
