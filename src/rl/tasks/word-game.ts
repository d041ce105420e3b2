// Word-game task (multi-turn, Wordle-like): the environment picks a secret word from the project's own word
// list (word-list.ts); each assistant turn guesses a word of the same length as <guess>word</guess> and the
// environment marks every letter: G right letter in the right place, Y in the word elsewhere, - not in it (a
// repeated letter is marked Y only as often as the secret has it unmatched). Any string of letters of the
// right length is a valid guess (case ignored); other turns get a format reminder and still count.
// Params: length (4 or 5, default 5), maxTurns (1..20, default 6) and words (the first N words of the list,
// 20 up to all, default all: a small vocabulary a tiny model can hold, every word of it seen as a guess in
// training; the held-out third is still answerSplit's, over those N). Correctness: `solved`; reward it with
// `solved_in_turns`. Held-out split over the secret words: see answer-split.ts.

import { gameEnvironment, type GameRules } from '../envs/game-env.ts';
import type { MultiTurnTask } from '../envs/types.ts';
import { XMLParser } from '../parsers/xml.ts';
import { answerSplit } from './answer-split.ts';
import { ParamReader } from './params.ts';
import type { TaskParams, TaskRow } from './types.ts';
import { FIVE_LETTER_WORDS, FOUR_LETTER_WORDS } from './word-list.ts';

const KNOWN_PARAMS = ['length', 'maxTurns', 'words'] as const;
const MIN_WORDS = 20;
const SPLIT_SEED = 0x5eed_3071;
const guessParser = new XMLParser(['guess']);

export interface WordGameParams {
  length: 4 | 5;
  maxTurns: number;
  /** The task's vocabulary: the first `words` words of the length's list. */
  words: readonly string[];
}

export function parseWordGameParams(params: TaskParams): WordGameParams {
  const p = new ParamReader('word-game', params, KNOWN_PARAMS);
  const length = p.int('length', 5, 4, 5) as 4 | 5;
  const maxTurns = p.int('maxTurns', 6, 1, 20);
  const list = length === 4 ? FOUR_LETTER_WORDS : FIVE_LETTER_WORDS;
  const words = list.slice(0, p.int('words', list.length, MIN_WORDS, list.length));
  return { length, maxTurns, words };
}

/** One mark per letter of `guess` against `secret` (same length): G, Y or -, as in Wordle. */
export function markGuess(guess: string, secret: string): string {
  const marks: string[] = Array.from(guess, () => '-');
  const unmatched = new Map<string, number>();
  for (let i = 0; i < secret.length; i++) {
    if (guess[i] === secret[i]) marks[i] = 'G';
    else unmatched.set(secret[i], (unmatched.get(secret[i]) ?? 0) + 1);
  }
  for (let i = 0; i < guess.length; i++) {
    const left = unmatched.get(guess[i]) ?? 0;
    if (marks[i] === '-' && left > 0) {
      marks[i] = 'Y';
      unmatched.set(guess[i], left - 1);
    }
  }
  return marks.join('');
}

export function wordGameRules(length: number): GameRules<string> {
  return {
    readMove(text) {
      // The turn's last <guess> field: `length` letters a-z, in any case.
      const field = guessParser.parseField(text, 'guess');
      if (field === undefined || field.length !== length) return undefined;
      const word = field.toLowerCase();
      return /^[a-z]+$/.test(word) ? word : undefined;
    },
    invalidMoveReply: `Reply <guess>word</guess> with one ${length}-letter word.`,
    play(guess, secret) {
      return guess === secret ? { solved: true } : { solved: false, feedback: `${guess}\n${markGuess(guess, secret)}` };
    },
  };
}

export function createWordGameTask(params: TaskParams): MultiTurnTask {
  const { length, maxTurns, words } = parseWordGameParams(params);
  const systemPrompt =
    `Guess my ${length}-letter word in ${maxTurns} tries. Reply <guess>word</guess>. ` +
    'I mark each letter: G right place, Y elsewhere, - not in the word.';
  const prompt = `A ${length}-letter word.`;
  return {
    name: 'word-game',
    description: `find a secret ${length}-letter word in at most ${maxTurns} guesses, with Wordle-style letter marks`,
    systemPrompt,
    correctnessCriterion: 'solved',
    environment: gameEnvironment(wordGameRules(length), maxTurns, systemPrompt),
    ...answerSplit(words, SPLIT_SEED, (answer): TaskRow => ({ prompt, answer })),
  };
}
