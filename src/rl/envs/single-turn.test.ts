import { describe, expect, it } from 'vitest';
import { createTask } from '../tasks/index.ts';
import { environmentOf, singleTurnMessages } from './single-turn.ts';
import { isMultiTurnTask, type MultiTurnTask } from './types.ts';

describe('singleTurnMessages', () => {
  it('is [system, user] from the task and row', () => {
    const task = createTask('arithmetic', {});
    const row = task.trainRow(0, 0);
    expect(singleTurnMessages(task, row)).toEqual([
      { role: 'system', content: task.systemPrompt },
      { role: 'user', content: row.prompt },
    ]);
    expect(singleTurnMessages({ ...task, systemPrompt: '' }, row)).toEqual([{ role: 'user', content: row.prompt }]);
  });
});

describe('environmentOf', () => {
  it('single-turn tasks get a one-turn environment that is done after the first answer', async () => {
    const task = createTask('arithmetic', {});
    const env = environmentOf(task);
    const row = task.trainRow(0, 0);
    expect(env.maxTurns).toBe(1);
    expect(env.initialMessages(row)).toEqual(singleTurnMessages(task, row));
    const state = env.initialState(row);
    expect(await env.respond({ row, messages: [{ role: 'assistant', content: 'x' }], state, turn: 1 })).toEqual({ state, done: true });
  });

  it('multi-turn tasks bring their own', () => {
    const task = createTask('guess-number', {});
    expect(isMultiTurnTask(task)).toBe(true);
    expect(isMultiTurnTask(createTask('arithmetic', {}))).toBe(false);
    expect(environmentOf(task)).toBe((task as MultiTurnTask).environment);
  });
});
