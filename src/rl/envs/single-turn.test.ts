import { describe, expect, it } from 'vitest';
import { createTask } from '../tasks/index.ts';
import { singleTurnMessages } from './single-turn.ts';

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
