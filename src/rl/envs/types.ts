// The environment protocol. An environment turns a task row into the opening messages and, after every
// assistant turn, answers with messages of its own (tool results, game feedback) or says the episode is done.
// A single-turn environment is done after the first assistant turn. Each rollout owns one state object: the
// runner gets it from `initialState`, passes it to every `respond` of that rollout and keeps what `respond`
// returns; nothing is shared between rollouts and environments hold no mutable state of their own.
//
// Turn loop (src/rl/rollout.ts runs it for all P*G rollouts of a batch at once):
//   messages = initialMessages(row); state = initialState(row)
//   for turn = 1, 2, ...:  the model writes one assistant message
//                          reply = respond({ row, messages, state, turn }); state = reply.state
//                          stop if reply.done or turn == maxTurns; else append reply.messages
// Environment messages are part of the model's context but never of the loss (see src/rl/batch.ts).

import type { Task, TaskRow } from '../tasks/types.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** What `respond` sees after assistant turn `turn`: `messages` ends with that turn (read-only). */
export interface EnvContext<S> {
  row: TaskRow;
  messages: readonly ChatMessage[];
  state: S;
  /** 1-based number of the assistant turn just written. */
  turn: number;
}

export interface EnvReply<S> {
  /** The rollout's next state (return a new object rather than mutating the old one). */
  state: S;
  /** True ends the rollout; `messages` are then ignored. */
  done: boolean;
  /** The environment's answer, appended to the conversation as context (masked out of the loss). */
  messages?: ChatMessage[];
  /** Tool calls the assistant turn made, and how many of them failed (for tools/* metrics). */
  toolCalls?: number;
  toolFailures?: number;
}

export interface Environment<S = unknown> {
  /** Most assistant turns per rollout (>= 1). `respond` still runs after the last one, to update state. */
  readonly maxTurns: number;
  initialMessages(row: TaskRow): ChatMessage[];
  /** A fresh state object for one rollout; called once per rollout, never shared. */
  initialState(row: TaskRow): S;
  respond(ctx: EnvContext<S>): EnvReply<S> | Promise<EnvReply<S>>;
}

/** A task whose rows are played out over several turns by its environment. */
export interface MultiTurnTask extends Task {
  environment: Environment;
}

export function isMultiTurnTask(task: Task): task is MultiTurnTask {
  return typeof (task as Partial<MultiTurnTask>).environment === 'object' && (task as MultiTurnTask).environment !== null;
}

/**
 * The state convention of game environments (guess-number, word-game), read by the `solved` and
 * `solved_in_turns` criteria: whether the game was won, after how many assistant turns, out of how many.
 */
export interface GameState {
  solved: boolean;
  turns: number;
  maxTurns: number;
}

/** The state convention of tool-using environments, read by the `tool_use` criterion. */
export interface ToolState {
  toolCalls: number;
  toolFailures: number;
}
