// The rollout runner with a tiny random model on the CPU backend: turn limits, rows finishing at different
// turns, per-rollout state, context limits, masking segments, determinism, and the single-turn path.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { generate } from '../engine/generate.ts';
import { createTinyModel } from '../engine/io/model-folder.ts';
import { Model } from '../engine/model.ts';
import type { ChatMessage, Environment, MultiTurnTask } from './envs/types.ts';
import { encodePrompt, multiTurnMetrics, sampleRollouts, type SamplingSettings } from './rollout.ts';
import { createTask } from './tasks/index.ts';
import type { TaskRow } from './tasks/types.ts';

function tinyModel(maxPositions = 512) {
  const loaded = createTinyModel({ seed: 3, config: { max_position_embeddings: maxPositions } });
  const backend = new CpuBackend();
  const params = backend.allocFloat(loaded.layout.total);
  backend.uploadFloat(params, loaded.params);
  return { loaded, model: new Model(backend, loaded.layout, params) };
}

const sampling: SamplingSettings = { temperature: 1, topK: 0, topP: 1, maxNewTokens: 6, stop: [] };
const rows: TaskRow[] = [
  { prompt: 'a', answer: '1' },
  { prompt: 'bb', answer: '2' },
  { prompt: 'ccc', answer: '3' },
];

interface CountState {
  turns: number;
  log: string[];
}

/** An environment that ends row i after `answer` turns (or never, when endAfter is false) and mutates its state in place. */
function countingTask(maxTurns: number, opts: { endAfterAnswer: boolean; reply?: string }): MultiTurnTask & { created: CountState[] } {
  const created: CountState[] = [];
  const environment: Environment<CountState> = {
    maxTurns,
    initialMessages: (row) => [{ role: 'user', content: row.prompt }],
    initialState: () => {
      const s = { turns: 0, log: [] };
      created.push(s);
      return s;
    },
    respond: ({ row, state, turn, messages }) => {
      // Deliberately mutates the state object: isolation must come from the runner, not from the env's care.
      state.turns++;
      state.log.push(`${row.prompt}:${turn}:${messages.length}`);
      const done = opts.endAfterAnswer && turn >= Number(row.answer);
      return { state, done, messages: [{ role: 'user', content: opts.reply ?? `reply ${turn}` }], toolCalls: 1, toolFailures: turn % 2 };
    },
  };
  return {
    name: 'counting',
    description: '',
    systemPrompt: '',
    correctnessCriterion: 'solved',
    trainRow: (_s, i) => rows[i % rows.length],
    evalRows: () => rows,
    environment,
    created,
  };
}

describe('sampleRollouts (multi-turn)', () => {
  const { loaded, model } = tinyModel();
  const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
  const G = 2;

  it('stops every rollout at the turn limit, still letting the environment see the last turn', async () => {
    const task = countingTask(3, { endAfterAnswer: false });
    const out = await sampleRollouts(model, codec, task, rows, G, sampling, 7);
    expect(out).toHaveLength(rows.length * G);
    for (const r of out) {
      expect(r.turns).toBe(3);
      const state = r.state as CountState;
      expect(state.turns).toBe(3); // respond ran after all 3 turns
      // initial user, then assistant / reply / assistant / reply / assistant: the last reply is dropped
      expect(r.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
      expect(r.toolCalls).toBe(3);
      expect(r.toolFailures).toBe(2); // turns 1 and 3
    }
    expect(multiTurnMetrics(out)).toEqual({ 'tools/call_frequency': 3, 'tools/failure_frequency': 2 / 3, 'num_turns/mean': 3 });
  });

  it('rows finish at different turns; every rollout owns its state (never shared, even in a group)', async () => {
    const task = countingTask(5, { endAfterAnswer: true });
    const out = await sampleRollouts(model, codec, task, rows, G, sampling, 7);
    expect(out.map((r) => r.turns)).toEqual([1, 1, 2, 2, 3, 3]);
    expect(task.created).toHaveLength(rows.length * G); // one initialState per rollout
    expect(new Set(out.map((r) => r.state)).size).toBe(out.length);
    for (const r of out) {
      const state = r.state as CountState;
      expect(state.turns).toBe(r.turns);
      expect(state.log).toEqual(Array.from({ length: r.turns }, (_, k) => `${r.row.prompt}:${k + 1}:${2 + 2 * k}`));
    }
  });

  it('segments alternate prompt / generated / context; the environment text is only ever context', async () => {
    const task = countingTask(3, { endAfterAnswer: false, reply: 'ENVIRONMENT SAYS' });
    const out = await sampleRollouts(model, codec, task, rows.slice(0, 1), G, sampling, 11);
    const tok = loaded.tokenizer;
    for (const r of out) {
      expect(r.segments.map((s) => s.generated)).toEqual([false, true, false, true, false, true]);
      const generated = r.segments.filter((s) => s.generated);
      for (const s of generated) expect(s.ids.length).toBeLessThanOrEqual(6);
      expect(r.generatedTokens).toBe(generated.reduce((n, s) => n + s.ids.length, 0));
      const context = r.segments.filter((s) => !s.generated).map((s) => tok.decode(s.ids));
      expect(context[0]).toBe('<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\n');
      // The template closes the assistant turn; <|im_end|> is context unless the model sampled it itself.
      const closing = generated[0].ids.at(-1) === tok.eosTokenId ? '' : '<|im_end|>';
      expect(context[1]).toBe(`${closing}\n<|im_start|>user\nENVIRONMENT SAYS<|im_end|>\n<|im_start|>assistant\n`);
      for (const s of generated) expect(tok.decode(s.ids)).not.toContain('ENVIRONMENT');
      // prompt + completion is the whole sequence, and the conversation text is what the template renders
      const all = [...r.prompt, ...r.completion];
      expect(all).toEqual(r.segments.flatMap((s) => [...s.ids]));
      expect(r.text).toBe(tok.decode(generated[2].ids, { skipSpecialTokens: true }));
      expect(r.messages.at(-1)).toEqual({ role: 'assistant', content: r.text });
    }
  });

  it('ends a rollout that has no room for another turn, as truncated', async () => {
    const small = tinyModel(48);
    const task = countingTask(10, { endAfterAnswer: false, reply: 'a long reply from the environment' });
    const out = await sampleRollouts(small.model, codec, task, rows.slice(0, 1), G, sampling, 5);
    for (const r of out) {
      expect(r.turns).toBeLessThan(10);
      expect(r.truncated).toBe(true);
      expect(r.prompt.length + r.completion.length).toBeLessThanOrEqual(48);
      expect(r.messages.at(-1)?.role).toBe('assistant'); // the reply that did not fit was not appended
    }
  });

  it('is deterministic for a seed, and different seeds sample differently', async () => {
    const task = countingTask(3, { endAfterAnswer: false });
    const a = await sampleRollouts(model, codec, task, rows, G, sampling, 21);
    const b = await sampleRollouts(model, codec, task, rows, G, sampling, 21);
    const c = await sampleRollouts(model, codec, task, rows, G, sampling, 22);
    expect(a.map((r) => [...r.completion])).toEqual(b.map((r) => [...r.completion]));
    expect(a.map((r) => [...r.completion])).not.toEqual(c.map((r) => [...r.completion]));
  });

  it('refuses an environment whose turn limit is not a positive integer', async () => {
    const task = countingTask(0, { endAfterAnswer: false });
    await expect(sampleRollouts(model, codec, task, rows, G, sampling, 1)).rejects.toThrow(/maxTurns/);
  });
});

describe('sampleRollouts (single-turn)', () => {
  it('is one shared-prompt generate call, exactly as before multi-turn existed', async () => {
    const { loaded, model } = tinyModel();
    const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
    const task = createTask('arithmetic', {});
    const taskRows = [task.trainRow(0, 0), task.trainRow(0, 1)];
    const out = await sampleRollouts(model, codec, task, taskRows, 3, sampling, 9);
    const direct = await generate(model, taskRows.map((r) => encodePrompt(codec, task, r).ids), 3, {
      ...sampling,
      stopTokenIds: [loaded.tokenizer.eosTokenId],
      stopStrings: [],
      decode: (ids) => loaded.tokenizer.decode(ids, { skipSpecialTokens: true }),
      seed: 9,
    });
    expect(out.map((r) => [...r.completion])).toEqual(direct.completions.map((c) => [...c]));
    for (const r of out) {
      expect(r.turns).toBe(1);
      expect(r.state).toBeNull();
      expect(r.segments.map((s) => s.generated)).toEqual([false, true]);
      expect(r.messages.map((m: ChatMessage) => m.role)).toEqual(['system', 'user', 'assistant']);
    }
  });
});
