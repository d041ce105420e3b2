// Word-game task (multi-turn, Wordle-like): the environment picks a secret word from the project's own word
// list (word-list.ts); each assistant turn guesses a word of the same length as <guess>word</guess> and the
// environment marks every letter: G right letter in the right place, Y in the word elsewhere, - not in it (a
// repeated letter is marked Y only as often as the secret has it unmatched). Any string of letters of the
// right length is a valid guess (case ignored); other turns get a format reminder and still count.
// Params: length (4 or 5, default 5), maxTurns (1..20, default 6) and words (the first N words of the list,
// 20 up to all, default all; the held-out third is still answerSplit's, over those N). Or letters: the secrets
// are then codes, every string of `length` distinct letters from that set (length 3 to 6, at most 5,040
// codes: "abcdefg" at length 4 makes 840), marked the same way. Codes are what a tiny model can learn: a word
// list is a dictionary to memorise, and a held-out word is a history never seen in training, while a code is
// found by reading the marks letter by letter, the same way for every secret (README: Bundled models).
// Correctness: `solved`; reward it with `solved_in_turns`. Held-out split over the secrets: answer-split.ts.

import { gameEnvironment, type GameRules } from '../envs/game-env.ts';
import type { MultiTurnTask } from '../envs/types.ts';
import { XMLParser } from '../parsers/xml.ts';
import { answerSplit } from './answer-split.ts';
import { ParamReader } from './params.ts';
import type { TaskParams, TaskRow } from './types.ts';
import { FIVE_LETTER_WORDS, FOUR_LETTER_WORDS } from './word-list.ts';

const KNOWN_PARAMS = ['length', 'maxTurns', 'words', 'letters'] as const;
const MIN_WORDS = 20;
const MAX_CODES = 5040;
const SPLIT_SEED = 0x5eed_3071;
const guessParser = new XMLParser(['guess']);

export interface WordGameParams {
  length: number;
  maxTurns: number;
  /** Code letters, sorted; '' when the secrets are words. */
  letters: string;
  /** The task's vocabulary, sorted: the first `words` words of the length's list, or every code. */
  words: readonly string[];
}

export function parseWordGameParams(params: TaskParams): WordGameParams {
  const p = new ParamReader('word-game', params, KNOWN_PARAMS);
  const letters = p.string('letters', '', 26);
  const maxTurns = p.int('maxTurns', 6, 1, 20);
  if (letters === '') {
    const length = p.int('length', 5, 4, 5);
    const list = length === 4 ? FOUR_LETTER_WORDS : FIVE_LETTER_WORDS;
    const words = list.slice(0, p.int('words', list.length, MIN_WORDS, list.length));
    return { length, maxTurns, letters, words };
  }
  if (params.words !== undefined) throw p.error('words and letters cannot both be given (letters makes the secrets codes)');
  if (!/^[a-z]+$/.test(letters) || new Set(letters).size !== letters.length) {
    throw p.error(`letters must be distinct lowercase letters a-z, got ${JSON.stringify(letters)}`);
  }
  const length = p.int('length', 5, 3, 6);
  const sorted = [...letters].sort().join('');
  if (sorted.length <= length) throw p.error(`letters must hold more than length (${length}) letters, got ${sorted.length}`);
  const count = permutations(sorted.length, length);
  if (count > MAX_CODES) throw p.error(`${sorted.length} letters at length ${length} make ${count.toLocaleString('en-US')} codes; at most ${MAX_CODES.toLocaleString('en-US')} (fewer letters or a shorter length)`);
  return { length, maxTurns, letters: sorted, words: distinctCodes(sorted, length) };
}

function permutations(n: number, k: number): number {
  let count = 1;
  for (let i = 0; i < k; i++) count *= n - i;
  return count;
}

/** Every string of `length` distinct letters from `letters`, in sorted order. */
export function distinctCodes(letters: string, length: number): string[] {
  const codes: string[] = [];
  const extend = (prefix: string): void => {
    if (prefix.length === length) codes.push(prefix);
    else for (const c of letters) if (!prefix.includes(c)) extend(prefix + c);
  };
  extend('');
  return codes;
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

/** `codes`: the secrets are codes (the reminder says so). */
export function wordGameRules(length: number, codes = false): GameRules<string> {
  return {
    readMove(text) {
      // The turn's last <guess> field: `length` letters a-z, in any case.
      const field = guessParser.parseField(text, 'guess');
      if (field === undefined || field.length !== length) return undefined;
      const word = field.toLowerCase();
      return /^[a-z]+$/.test(word) ? word : undefined;
    },
    invalidMoveReply: codes ? `Reply <guess>code</guess> with ${length} letters.` : `Reply <guess>word</guess> with one ${length}-letter word.`,
    play(guess, secret) {
      return guess === secret ? { solved: true } : { solved: false, feedback: `${guess}\n${markGuess(guess, secret)}` };
    },
  };
}

export function createWordGameTask(params: TaskParams): MultiTurnTask {
  const { length, maxTurns, letters, words } = parseWordGameParams(params);
  const secret = letters === '' ? 'word' : 'code';
  const systemPrompt =
    (letters === ''
      ? `Guess my ${length}-letter word in ${maxTurns} tries. Reply <guess>word</guess>. `
      : `Guess my ${length}-letter code of distinct letters from ${letters} in ${maxTurns} tries. Reply <guess>code</guess>. `) +
    `I mark each letter: G right place, Y elsewhere, - not in the ${secret}.`;
  const prompt = `A ${length}-letter ${secret}.`;
  return {
    name: 'word-game',
    description:
      letters === ''
        ? `find a secret ${length}-letter word in at most ${maxTurns} guesses, with Wordle-style letter marks`
        : `find a secret code of ${length} distinct letters from ${letters} in at most ${maxTurns} guesses, with Wordle-style letter marks`,
    systemPrompt,
    correctnessCriterion: 'solved',
    environment: gameEnvironment(wordGameRules(length, letters !== ''), maxTurns, systemPrompt),
    ...answerSplit(words, SPLIT_SEED, (answer): TaskRow => ({ prompt, answer })),
  };
}
