// Guessing-game environment (guess-number, word-game): each assistant turn makes one move, read from the
// turn's text by the game's rules; the environment answers with feedback until a move wins or the turn limit
// is reached. A turn without a valid move gets a reminder of the format and still counts as a turn. The state
// follows the GameState convention (solved, turns, maxTurns) and keeps the valid moves made.

import { openingMessages } from './single-turn.ts';
import type { Environment, GameState } from './types.ts';

export interface GameRules<M> {
  /** The move in an assistant turn's text, or undefined when it holds no valid one. */
  readMove(text: string): M | undefined;
  /** What the environment says to a turn without a valid move. */
  invalidMoveReply: string;
  /** Play a valid move against the row's answer: won, or the feedback to show. */
  play(move: M, answer: string): { solved: true } | { solved: false; feedback: string };
}

export interface GameEnvState<M> extends GameState {
  /** Valid moves so far, in order. */
  moves: M[];
}

export function gameEnvironment<M>(rules: GameRules<M>, maxTurns: number, systemPrompt: string): Environment<GameEnvState<M>> {
  return {
    maxTurns,
    initialMessages: (row) => openingMessages(systemPrompt, row.prompt),
    initialState: () => ({ solved: false, turns: 0, maxTurns, moves: [] }),
    respond({ row, messages, state }) {
      const turns = state.turns + 1;
      const move = rules.readMove(messages[messages.length - 1].content);
      if (move === undefined) {
        return { state: { ...state, turns }, done: false, messages: [{ role: 'user', content: rules.invalidMoveReply }] };
      }
      const result = rules.play(move, row.answer);
      const next = { ...state, turns, moves: [...state.moves, move], solved: result.solved };
      if (result.solved) return { state: next, done: true };
      return { state: next, done: false, messages: [{ role: 'user', content: result.feedback }] };
    },
  };
}
