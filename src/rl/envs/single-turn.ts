// Single-turn environment: one system message (the task's instructions) and one user message (the row's
// prompt); the model answers once and the rubric scores that answer.

import type { Task, TaskRow } from '../tasks/types.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** [system, user] for one row; the system message is left out when the task has none. */
export function singleTurnMessages(task: Task, row: TaskRow): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (task.systemPrompt.length > 0) messages.push({ role: 'system', content: task.systemPrompt });
  messages.push({ role: 'user', content: row.prompt });
  return messages;
}
