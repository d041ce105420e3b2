// Guess-number task (multi-turn): the environment thinks of a number from 1 to maxNumber; each assistant turn
// guesses one as <guess>N</guess> and the environment answers "higher" or "lower" until the guess is right or
// maxTurns guesses are used (game-env.ts; a turn without a valid guess gets a format reminder and counts).
// Params: maxNumber (30..10000, default 50) and maxTurns (1..20, default 6; binary search needs 6 for 1..50).
// Correctness: `solved`; reward it with `solved_in_turns` (more for fewer turns). Held-out split over the
// secret numbers: see answer-split.ts.

import { gameEnvironment, type GameRules } from '../envs/game-env.ts';
import type { MultiTurnTask } from '../envs/types.ts';
import { XMLParser } from '../parsers/xml.ts';
import { answerSplit } from './answer-split.ts';
import { ParamReader } from './params.ts';
import { requireSpace } from './split.ts';
import type { TaskParams, TaskRow } from './types.ts';

const KNOWN_PARAMS = ['maxNumber', 'maxTurns'] as const;
const SPLIT_SEED = 0x5eed_9e55;
const guessParser = new XMLParser(['guess']);

export interface GuessNumberParams {
  maxNumber: number;
  maxTurns: number;
}

export function parseGuessNumberParams(params: TaskParams): GuessNumberParams {
  const p = new ParamReader('guess-number', params, KNOWN_PARAMS);
  const maxNumber = p.int('maxNumber', 50, 1, 10_000);
  requireSpace(p, maxNumber, 'raise maxNumber');
  const maxTurns = p.int('maxTurns', 6, 1, 20);
  return { maxNumber, maxTurns };
}

export function guessNumberRules(maxNumber: number): GameRules<number> {
  return {
    readMove(text) {
      // The turn's last <guess> field: a whole number from 1 to maxNumber.
      const field = guessParser.parseField(text, 'guess');
      if (field === undefined || field.length > 6 || !/^\d+$/.test(field)) return undefined;
      const n = Number(field);
      return n >= 1 && n <= maxNumber ? n : undefined;
    },
    invalidMoveReply: `Reply <guess>N</guess>, N from 1 to ${maxNumber}.`,
    play(guess, answer) {
      const secret = Number(answer);
      return guess === secret ? { solved: true } : { solved: false, feedback: guess < secret ? 'higher' : 'lower' };
    },
  };
}

export function createGuessNumberTask(params: TaskParams): MultiTurnTask {
  const { maxNumber, maxTurns } = parseGuessNumberParams(params);
  const systemPrompt = `Guess my number in ${maxTurns} tries. Reply <guess>N</guess>; I say higher or lower.`;
  const prompt = `A number from 1 to ${maxNumber}.`;
  const secrets = Array.from({ length: maxNumber }, (_, i) => String(i + 1));
  return {
    name: 'guess-number',
    description: `find a number from 1 to ${maxNumber} in at most ${maxTurns} guesses, told higher or lower`,
    systemPrompt,
    correctnessCriterion: 'solved',
    environment: gameEnvironment(guessNumberRules(maxNumber), maxTurns, systemPrompt),
    ...answerSplit(secrets, SPLIT_SEED, (answer): TaskRow => ({ prompt, answer })),
  };
}
