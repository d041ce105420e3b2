import { describe, expect, it } from 'vitest';
import type { GameEnvState } from '../envs/game-env.ts';
import type { ChatMessage, EnvReply } from '../envs/types.ts';
import { Rubric } from '../rubric/rubric.ts';
import { createGuessNumberTask } from './guess-number.ts';
import { createTask } from './index.ts';
import type { TaskRow } from './types.ts';

/** Play a scripted game: each assistant turn in order, until the environment is done or the limit is hit. */
async function play(task: ReturnType<typeof createGuessNumberTask>, row: TaskRow, turns: string[]) {
  const env = task.environment;
  const messages: ChatMessage[] = env.initialMessages(row);
  let state = env.initialState(row) as GameEnvState<number>;
  let reply: EnvReply<unknown> | undefined;
  for (let t = 1; t <= Math.min(turns.length, env.maxTurns); t++) {
    messages.push({ role: 'assistant', content: turns[t - 1] });
    reply = await env.respond({ row, messages, state, turn: t });
    state = reply.state as GameEnvState<number>;
    if (reply.done || t === env.maxTurns) break;
    messages.push(...(reply.messages ?? []));
  }
  return { state, messages, reply: reply! };
}

describe('guess-number task', () => {
  const task = createGuessNumberTask({});
  const row = { prompt: task.trainRow(0, 0).prompt, answer: '30' };

  it('defaults: 1..50, 6 turns, solved as correctness, a multi-turn environment', () => {
    expect(task.name).toBe('guess-number');
    expect(task.correctnessCriterion).toBe('solved');
    expect(task.environment.maxTurns).toBe(6);
    expect(task.trainRow(0, 0).prompt).toBe('A number from 1 to 50.');
    expect(task.environment.initialMessages(row)).toEqual([
      { role: 'system', content: task.systemPrompt },
      { role: 'user', content: row.prompt },
    ]);
    expect(task.systemPrompt).toContain('<guess>N</guess>');
    expect(createTask('guess-number', { maxNumber: 100, maxTurns: 7 }).description).toContain('1 to 100 in at most 7 guesses');
  });

  it('answers higher / lower, ends when solved, and records the moves', async () => {
    const { state, messages, reply } = await play(task, row, ['<guess>25</guess>', 'hmm <guess>40</guess>', '<guess>30</guess>']);
    expect(messages.filter((m) => m.role === 'user').map((m) => m.content).slice(1)).toEqual(['higher', 'lower']);
    expect(reply.done).toBe(true);
    expect(state).toEqual({ solved: true, turns: 3, maxTurns: 6, moves: [25, 40, 30] });
  });

  it('a turn without a valid guess gets a reminder and still counts', async () => {
    const bad = ['30', '<guess>0</guess>', '<guess>51</guess>', '<guess>3.5</guess>', '<guess>-1</guess>', '<guess>1e1</guess>'];
    for (const text of bad) {
      const { state, messages } = await play(task, row, [text]);
      expect(messages.at(-1), text).toEqual({ role: 'user', content: 'Reply <guess>N</guess>, N from 1 to 50.' });
      expect(state).toEqual({ solved: false, turns: 1, maxTurns: 6, moves: [] });
    }
    // The last <guess> of a turn counts; an unclosed one is read to the end of the turn.
    expect((await play(task, row, ['<guess>1</guess> no, <guess>30</guess>'])).state.solved).toBe(true);
    expect((await play(task, row, ['<guess> 30'])).state.solved).toBe(true);
  });

  it('the turn limit ends an unsolved game; state passed in is never mutated', async () => {
    const { state } = await play(task, row, Array.from({ length: 10 }, () => '<guess>1</guess>'));
    expect(state).toMatchObject({ solved: false, turns: 6 });
    const env = task.environment;
    const s0 = env.initialState(row) as GameEnvState<number>;
    const frozen = structuredClone(s0);
    await env.respond({ row, messages: [{ role: 'assistant', content: '<guess>7</guess>' }], state: s0, turn: 1 });
    expect(s0).toEqual(frozen);
    expect(env.initialState(row)).not.toBe(env.initialState(row));
  });

  it('solved and solved_in_turns score the outcome (more for fewer turns)', async () => {
    const rubric = new Rubric([
      { name: 'solved', kind: 'solved', weight: 1, params: {} },
      { name: 'fast', kind: 'solved_in_turns', weight: 1, params: {} },
      { name: 'within3', kind: 'solved_in_turns', weight: 1, params: { turns: 3, shaping: 1 } },
    ]);
    const score = async (turns: string[]) => {
      const { state, messages } = await play(task, row, turns);
      return (await rubric.score({ prompt: row.prompt, completion: '', answer: row.answer, messages, state: { ...state } })).scores;
    };
    expect(await score(['<guess>30</guess>'])).toEqual({ solved: 1, fast: 1, within3: 1 });
    expect(await score(['<guess>1</guess>', '<guess>2</guess>', '<guess>30</guess>'])).toEqual({ solved: 1, fast: 1 - 0.5 * (2 / 5), within3: 0 });
    const sixth = await score([...Array.from({ length: 5 }, () => '<guess>1</guess>'), '<guess>30</guess>']);
    expect(sixth).toEqual({ solved: 1, fast: 0.5, within3: 0 });
    expect(await score(Array.from({ length: 6 }, () => '<guess>1</guess>'))).toEqual({ solved: 0, fast: 0, within3: 0 });
    // On a single-turn task (no game state) the criterion errors instead of scoring a silent 0.
    const s = await rubric.score({ prompt: 'x', completion: '', answer: '1' });
    expect(s.errors.solved).toBe(1);
    expect(s.errorMessages.solved).toMatch(/multi-turn game task/);
  });

  it('held-out secrets: a fixed third, never used for training, the same for every seed', () => {
    const held = task.evalRows(100).map((r) => r.answer);
    expect(held).toHaveLength(16);
    expect(task.evalRows(5).map((r) => r.answer)).toEqual(held.slice(0, 5));
    expect(createGuessNumberTask({ maxTurns: 3 }).evalRows(100).map((r) => r.answer)).toEqual(held);
    const train = new Set<string>();
    for (const seed of [0, 1, 2]) for (let i = 0; i < 500; i++) train.add(task.trainRow(seed, i).answer);
    expect(train.size).toBe(34);
    for (const a of held) expect(train.has(a)).toBe(false);
    expect(task.trainRow(4, 9)).toEqual(createGuessNumberTask({}).trainRow(4, 9));
  });

  it('clear errors for bad params', () => {
    expect(() => createTask('guess-number', { maxNumber: 10 })).toThrow(/guess-number: these params allow only 10 distinct problems/);
    expect(() => createTask('guess-number', { maxTurns: 0 })).toThrow('guess-number: maxTurns must be an integer from 1 to 20, got 0');
    expect(() => createTask('guess-number', { turns: 3 })).toThrow("guess-number: unknown param 'turns' (known: maxNumber, maxTurns)");
  });
});
