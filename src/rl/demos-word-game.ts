// A word-game demonstration: a player who reads every mark and guesses a word that could still be the secret.
// It opens with the word that splits the task's word list best (the smallest expected number of words left),
// then guesses a word consistent with all the marks so far, drawn from the candidates by the episode's own
// uniform number u (so the demonstrations show many consistent guesses, not one memorisable tree). It knows
// the task's whole word list as a Wordle player knows the dictionary; the held-out split is over secrets.
//
// Codes (the `letters` param) are played by a different player, one a tiny model can learn: it works out each
// position on its own (eliminationPolicy below), the same way for every secret. Its deliberate flaw (pretrain
// --word-ignore-absent): in a share of episodes it does not read the - marks, so it keeps trying letters the
// code does not have and runs out of guesses.

import type { DemoPolicy } from './demos.ts';
import { markGuess, wordGameRules, type WordGameParams } from './tasks/word-game.ts';

const openers = new Map<string, string>();

/** The word whose marks split `words` into the smallest expected remainder (sum of squared bucket sizes). */
export function bestOpener(words: readonly string[]): string {
  let best = words[0];
  let bestScore = Infinity;
  for (const guess of words) {
    const buckets = new Map<string, number>();
    for (const secret of words) {
      const m = markGuess(guess, secret);
      buckets.set(m, (buckets.get(m) ?? 0) + 1);
    }
    let score = 0;
    for (const n of buckets.values()) score += n * n;
    if (score < bestScore) [best, bestScore] = [guess, score];
  }
  return best;
}

/** Words of `words` that would have given every (guess, marks) pair seen so far. */
export function consistentWords(words: readonly string[], seen: readonly { guess: string; marks: string }[]): string[] {
  return words.filter((w) => seen.every(({ guess, marks }) => markGuess(guess, w) === marks));
}

/** The (guess, marks) pairs read from a conversation so far: each assistant guess and the reply that marked it. */
export function markedGuesses(messages: readonly { role: string; content: string }[], length: number): { guess: string; marks: string }[] {
  const rules = wordGameRules(length);
  const seen: { guess: string; marks: string }[] = [];
  for (let i = 0; i + 1 < messages.length; i++) {
    if (messages[i].role !== 'assistant') continue;
    const guess = rules.readMove(messages[i].content);
    const reply = messages[i + 1].content.split('\n'); // "tale\n-GY-"
    if (guess !== undefined && reply.length === 2 && reply[0] === guess) seen.push({ guess, marks: reply[1] });
  }
  return seen;
}

/**
 * The code player: the first guess, in `letters` order position by position, that keeps every G letter in
 * its place, puts no letter where it was already tried, repeats no letter and, unless `ignoresAbsent` (the
 * flaw), uses no letter marked -. With no marks yet that is the first `length` letters. Deterministic, so
 * greedy decoding shows which of the two players a model has become.
 */
export function eliminationGuess(letters: string, length: number, seen: readonly { guess: string; marks: string }[], ignoresAbsent: boolean): string {
  const green: (string | undefined)[] = Array.from({ length }, () => undefined);
  const tried = Array.from({ length }, () => new Set<string>());
  const absent = new Set<string>();
  for (const { guess, marks } of seen) {
    for (let i = 0; i < length; i++) {
      if (marks[i] === 'G') green[i] = guess[i];
      else tried[i].add(guess[i]);
      if (marks[i] === '-') absent.add(guess[i]);
    }
  }
  const allowed = (c: string, i: number, prefix: string) =>
    green[i] !== undefined ? c === green[i] : !tried[i].has(c) && !prefix.includes(c) && !green.includes(c) && (ignoresAbsent || !absent.has(c));
  // Depth first in letter order: the first guess that fits, which a left-to-right greedy pick can miss.
  const search = (prefix: string): string | undefined => {
    if (prefix.length === length) return prefix;
    for (const c of letters) {
      if (!allowed(c, prefix.length, prefix)) continue;
      const found = search(prefix + c);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search('') ?? letters.slice(0, length); // only for marks no code could give
}

/** eliminationGuess as a demonstration policy. */
export function eliminationPolicy(letters: string, length: number, ignoresAbsent: boolean): DemoPolicy {
  return ({ messages }) => `<guess>${eliminationGuess(letters, length, markedGuesses(messages, length), ignoresAbsent)}</guess>`;
}

/**
 * The opener, then a consistent word picked by u (0 <= u < 1) and the turn, from `words` (the task's
 * vocabulary: a prefix of its list, so its length and size name it).
 */
export function wordGamePolicy(words: readonly string[], u: number): DemoPolicy {
  const length = words[0].length;
  const key = `${length}:${words.length}`;
  if (!openers.has(key)) openers.set(key, bestOpener(words));
  const opener = openers.get(key)!;
  return ({ messages }) => {
    const seen = markedGuesses(messages, length);
    if (seen.length === 0) return `<guess>${opener}</guess>`;
    const candidates = consistentWords(words, seen);
    // A fresh draw per turn from the episode's u (golden-ratio steps stay uniform and spread out).
    const v = (u + seen.length * 0.618_033_988_75) % 1;
    return `<guess>${candidates[Math.floor(v * candidates.length)] ?? opener}</guess>`;
  };
}

/**
 * The task's demonstration player: words, a consistent word drawn by u; codes, the elimination player,
 * flawed when `ignoresAbsent`.
 */
export function wordGameDemo(game: WordGameParams, u: number, ignoresAbsent: boolean): DemoPolicy {
  return game.letters === '' ? wordGamePolicy(game.words, u) : eliminationPolicy(game.letters, game.length, ignoresAbsent);
}
