import { describe, expect, it } from 'vitest';
import type { GameEnvState } from '../envs/game-env.ts';
import type { ChatMessage } from '../envs/types.ts';
import { createTask } from './index.ts';
import { createWordGameTask, distinctCodes, markGuess, parseWordGameParams } from './word-game.ts';
import { FIVE_LETTER_WORDS, FOUR_LETTER_WORDS } from './word-list.ts';

describe('word list', () => {
  it.each([
    [4, FOUR_LETTER_WORDS],
    [5, FIVE_LETTER_WORDS],
  ])('%i-letter words: a few hundred, lowercase a-z, sorted, no repeats', (length, words) => {
    expect(words.length).toBeGreaterThanOrEqual(300);
    for (const w of words) expect(w, w).toMatch(new RegExp(`^[a-z]{${length}}$`));
    expect([...words].sort()).toEqual(words);
    expect(new Set(words).size).toBe(words.length);
  });
});

describe('markGuess', () => {
  it('G right place, Y elsewhere, - absent; repeated letters only as often as the secret has them', () => {
    expect(markGuess('crane', 'crane')).toBe('GGGGG');
    expect(markGuess('abcde', 'fghij')).toBe('-----');
    expect(markGuess('trace', 'crate')).toBe('YGGYG');
    expect(markGuess('speed', 'abide')).toBe('--Y-Y'); // one e in the secret: only the first unmatched e is Y
    expect(markGuess('llama', 'hello')).toBe('YY---');
    expect(markGuess('geese', 'eerie')).toBe('-GY-G');
    expect(markGuess('abbey', 'kebab')).toBe('YYGY-');
  });
});

describe('word-game task', () => {
  const task = createWordGameTask({});
  const env = task.environment;
  const row = { prompt: task.trainRow(0, 0).prompt, answer: 'crate' };

  async function play(turns: string[]) {
    const messages: ChatMessage[] = env.initialMessages(row);
    let state = env.initialState(row) as GameEnvState<string>;
    let done = false;
    for (let t = 1; t <= turns.length && !done; t++) {
      messages.push({ role: 'assistant', content: turns[t - 1] });
      const reply = await env.respond({ row, messages, state, turn: t });
      state = reply.state as GameEnvState<string>;
      done = reply.done;
      if (!done) messages.push(...(reply.messages ?? []));
    }
    return { state, messages, done };
  }

  it('defaults: 5 letters, 6 turns, solved as correctness', () => {
    expect(task.name).toBe('word-game');
    expect(task.correctnessCriterion).toBe('solved');
    expect(env.maxTurns).toBe(6);
    expect(row.prompt).toBe('A 5-letter word.');
    expect(task.systemPrompt).toContain('G right place, Y elsewhere, - not in the word');
    expect(FIVE_LETTER_WORDS).toContain(task.trainRow(3, 3).answer);
  });

  it('marks each guess and ends when the word is found', async () => {
    const { state, messages, done } = await play(['<guess>trace</guess>', 'Then <guess>CRATE</guess>']);
    expect(messages.find((m) => m.content.startsWith('trace'))).toEqual({ role: 'user', content: 'trace\nYGGYG' });
    expect(done).toBe(true);
    expect(state).toEqual({ solved: true, turns: 2, maxTurns: 6, moves: ['trace', 'crate'] });
  });

  it('refuses guesses of the wrong length or with other characters, and counts the turn', async () => {
    for (const text of ['crate', '<guess>crates</guess>', '<guess>cr4te</guess>', '<guess>cr te</guess>', '<guess>crâte</guess>', '<guess></guess>']) {
      const { state, messages } = await play([text]);
      expect(messages.at(-1), text).toEqual({ role: 'user', content: 'Reply <guess>word</guess> with one 5-letter word.' });
      expect(state).toEqual({ solved: false, turns: 1, maxTurns: 6, moves: [] });
    }
    // Any letters are a valid guess, listed word or not.
    expect((await play(['<guess>zzzzz</guess>'])).messages.at(-1)?.content).toBe('zzzzz\n-----');
  });

  it('4-letter variant and the held-out split over secret words', () => {
    const four = createTask('word-game', { length: 4, maxTurns: 8 });
    expect(four.trainRow(0, 0).prompt).toBe('A 4-letter word.');
    expect(FOUR_LETTER_WORDS).toContain(four.trainRow(0, 0).answer);
    const held = task.evalRows(10_000).map((r) => r.answer);
    expect(held).toHaveLength(Math.floor(FIVE_LETTER_WORDS.length / 3));
    expect(task.evalRows(32).map((r) => r.answer)).toEqual(held.slice(0, 32));
    const heldSet = new Set(held);
    for (const seed of [0, 1]) for (let i = 0; i < 2000; i++) expect(heldSet.has(task.trainRow(seed, i).answer)).toBe(false);
  });

  it('words: N plays on the first N words of the list, a third of them held out', () => {
    const small = createTask('word-game', { length: 4, words: 40 });
    const vocabulary = new Set(FOUR_LETTER_WORDS.slice(0, 40));
    const held = small.evalRows(100).map((r) => r.answer);
    expect(held).toHaveLength(13);
    for (const w of held) expect(vocabulary.has(w), w).toBe(true);
    const trained = new Set(Array.from({ length: 2000 }, (_, i) => small.trainRow(0, i).answer));
    expect(trained.size).toBe(27); // every other word of the 40 is a training secret
    for (const w of trained) expect(vocabulary.has(w) && !held.includes(w), w).toBe(true);
  });

  it('clear errors for bad params', () => {
    expect(() => createTask('word-game', { length: 4, words: 19 })).toThrow('word-game: words must be an integer from 20 to 474, got 19');
    expect(() => createTask('word-game', { words: 2.5 })).toThrow(/words must be an integer from 20 to \d+, got 2.5/);
    expect(() => createTask('word-game', { length: 6 })).toThrow('word-game: length must be an integer from 4 to 5, got 6');
    expect(() => createTask('word-game', { maxTurns: 21 })).toThrow(/maxTurns must be an integer from 1 to 20/);
  });
});

describe('word-game on codes (letters)', () => {
  const params = { letters: 'gfedcba', length: 4, maxTurns: 4 };
  const task = createWordGameTask(params);

  it('the secrets are every code of distinct letters from the set, a third of them held out', () => {
    const { letters, words } = parseWordGameParams(params);
    expect(letters).toBe('abcdefg'); // sorted, so the order a user types does not change the task
    expect(words).toHaveLength(7 * 6 * 5 * 4);
    expect(words.slice(0, 3)).toEqual(['abcd', 'abce', 'abcf']);
    expect(words.at(-1)).toBe('gfed');
    for (const w of words) expect(new Set(w).size, w).toBe(4);
    expect(distinctCodes('abc', 2)).toEqual(['ab', 'ac', 'ba', 'bc', 'ca', 'cb']);
    const held = task.evalRows(10_000).map((r) => r.answer);
    expect(held).toHaveLength(280);
    const heldSet = new Set(held);
    const trained = new Set(Array.from({ length: 5000 }, (_, i) => task.trainRow(0, i).answer));
    expect(trained.size).toBe(560);
    for (const w of trained) expect(heldSet.has(w), w).toBe(false);
  });

  it('says code, not word, and marks guesses the same way', async () => {
    expect(task.systemPrompt).toBe(
      'Guess my 4-letter code of distinct letters from abcdefg in 4 tries. Reply <guess>code</guess>. I mark each letter: G right place, Y elsewhere, - not in the code.',
    );
    expect(task.trainRow(0, 0).prompt).toBe('A 4-letter code.');
    const env = task.environment;
    const row = { prompt: 'A 4-letter code.', answer: 'bgda' };
    const messages: ChatMessage[] = [...env.initialMessages(row), { role: 'assistant', content: '<guess>abcd</guess>' }];
    const first = await env.respond({ row, messages, state: env.initialState(row), turn: 1 });
    expect(first.messages).toEqual([{ role: 'user', content: 'abcd\nYY-Y' }]);
    messages.push(...first.messages!, { role: 'assistant', content: '<guess>abc</guess>' });
    const second = await env.respond({ row, messages, state: first.state, turn: 2 });
    expect(second.messages).toEqual([{ role: 'user', content: 'Reply <guess>code</guess> with 4 letters.' }]);
  });

  it('clear errors for bad letters', () => {
    expect(() => createTask('word-game', { letters: 'abca' })).toThrow('word-game: letters must be distinct lowercase letters a-z, got "abca"');
    expect(() => createTask('word-game', { letters: 'ABCDEF' })).toThrow(/letters must be distinct lowercase letters a-z/);
    expect(() => createTask('word-game', { letters: 'abcd', length: 4 })).toThrow('word-game: letters must hold more than length (4) letters, got 4');
    expect(() => createTask('word-game', { letters: 'abcdefghijkl', length: 5 })).toThrow('word-game: 12 letters at length 5 make 95,040 codes; at most 5,040 (fewer letters or a shorter length)');
    expect(() => createTask('word-game', { letters: 'abcdefg', length: 7 })).toThrow('word-game: length must be an integer from 3 to 6, got 7');
    expect(() => createTask('word-game', { letters: 'abcdefg', words: 40 })).toThrow('word-game: words and letters cannot both be given');
    expect(() => createTask('word-game', { letters: 7 })).toThrow('word-game: letters must be a string, got 7');
  });
});
