// Single-turn environment: one system message (the task's instructions) and one user message (the row's
// prompt); the model answers once and the rubric scores that answer. Tasks without an environment of their
// own get this one (`environmentOf`).

import type { Task, TaskRow } from '../tasks/types.ts';
import { isMultiTurnTask, type ChatMessage, type Environment } from './types.ts';

export type { ChatMessage } from './types.ts';

/** [system, user]; the system message is left out when it is empty. */
export function openingMessages(systemPrompt: string, prompt: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (systemPrompt.length > 0) messages.push({ role: 'system', content: systemPrompt });
  messages.push({ role: 'user', content: prompt });
  return messages;
}

/** [system, user] for one row, from the task's instructions and the row's prompt. */
export function singleTurnMessages(task: Task, row: TaskRow): ChatMessage[] {
  return openingMessages(task.systemPrompt, row.prompt);
}

export function singleTurnEnvironment(task: Task): Environment<null> {
  return {
    maxTurns: 1,
    initialMessages: (row) => singleTurnMessages(task, row),
    initialState: () => null,
    respond: ({ state }) => ({ state, done: true }),
  };
}

/** The task's own environment (multi-turn tasks) or the single-turn one. */
export function environmentOf(task: Task): Environment {
  return isMultiTurnTask(task) ? task.environment : singleTurnEnvironment(task);
}
