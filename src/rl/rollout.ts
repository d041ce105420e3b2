// Rollouts: task rows -> conversations -> G sampled episodes per row -> token segments and text. Single-turn
// tasks are the one-turn case of the same loop. Turn 1 prefills each row's prompt once and shares it with its
// G samples; every later turn appends only the new tokens (the environment's reply and the template's markup)
// to each still-running conversation's KV cache (rows finish at different turns) and generates for all of them
// in one batch (engine/generate.ts GenerationSession). `reuseKvCache: false` re-prefills every conversation
// each turn instead, as a check: the tokens sampled are the same. After each assistant turn the environment answers (or ends the
// rollout), and its reply is appended as context tokens (src/rl/envs/conversation.ts). Model output is
// untrusted text: it is only ever parsed, scored and shown as text.
import type { TensorLike } from '../engine/backend.ts';
import { GenerationSession, type GenerateOptions } from '../engine/generate.ts';
import type { Model } from '../engine/model.ts';
import { hash32 } from '../engine/rng.ts';
import type { Segment } from './batch.ts';
import { Conversation, encodeMessages, type ChatCodec } from './envs/conversation.ts';
import { environmentOf } from './envs/single-turn.ts';
import type { ChatMessage } from './envs/types.ts';
import { METRIC } from './metrics.ts';
import type { ScoreContext } from './rubric/types.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export type { ChatCodec } from './envs/conversation.ts';

export interface SamplingSettings {
  temperature: number;
  topK: number;
  topP: number;
  /** Per assistant turn. */
  maxNewTokens: number;
  stop: string[];
}

export interface Rollout {
  group: number; // index of the prompt within the batch
  row: TaskRow;
  promptText: string;
  prompt: Int32Array;
  /** Every token after the prompt: the sampled turns and, between them, the environment's replies. */
  completion: Int32Array;
  /** The whole sequence (prompt first) as context and generated segments, for packing. */
  segments: Segment[];
  /** Tokens the policy sampled (single-turn: completion.length). */
  generatedTokens: number;
  /** The last assistant turn, decoded without special tokens: what the rubric scores as the completion. */
  text: string;
  /** The whole conversation, the model's turns without special tokens. */
  messages: ChatMessage[];
  /** The environment's state at the end (null for single-turn tasks). */
  state: unknown;
  /** Assistant turns taken. */
  turns: number;
  toolCalls: number;
  toolFailures: number;
  /** A turn hit maxNewTokens without a stop, or the conversation outgrew the model's context. */
  truncated: boolean;
}

/** The single-turn prompt of a row (also used by supervised fine-tuning). */
export function encodePrompt(codec: ChatCodec, task: Task, row: TaskRow): { text: string; ids: Int32Array } {
  return encodeMessages(codec, environmentOf(task).initialMessages(row));
}

/** What the rubric sees of a rollout. */
export function scoreContext(r: Rollout): ScoreContext {
  const state = typeof r.state === 'object' && r.state !== null ? (r.state as Record<string, unknown>) : undefined;
  return {
    prompt: r.row.prompt,
    completion: r.text,
    answer: r.row.answer,
    info: r.row.info,
    messages: r.messages,
    state,
    completionTokens: r.generatedTokens,
  };
}

export interface RolloutOptions {
  /** Keep each row's KV cache across turns (default true); false re-prefills whole conversations every turn. */
  reuseKvCache?: boolean;
  /** Tests: the logits [runs.length, V] the running rollouts `runs` sampled from at step t of `turn`. */
  onLogits?: (turn: number, t: number, runs: readonly number[], logits: Float32Array) => void;
}

interface Running {
  conv: Conversation;
  state: unknown;
  toolCalls: number;
  toolFailures: number;
  truncated: boolean;
}

export async function sampleRollouts<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  codec: ChatCodec,
  task: Task,
  rows: TaskRow[],
  G: number,
  sampling: SamplingSettings,
  seed: number,
  options: RolloutOptions = {},
): Promise<Rollout[]> {
  const env = environmentOf(task);
  if (!Number.isInteger(env.maxTurns) || env.maxTurns < 1) throw new Error(`${task.name}: maxTurns must be an integer >= 1`);
  const tok = codec.tokenizer;
  const initial = rows.map((row) => env.initialMessages(row));
  const prompts = initial.map((messages) => encodeMessages(codec, messages));
  const R = rows.length * G;
  const runs: Running[] = Array.from({ length: R }, (_, r) => {
    const p = Math.floor(r / G);
    return {
      conv: new Conversation(codec, initial[p], prompts[p]),
      state: env.initialState(rows[p]),
      toolCalls: 0,
      toolFailures: 0,
      truncated: false,
    };
  });
  const opts = (turnSeed: number, turn: number, runsNow: readonly number[]): GenerateOptions => ({
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    maxNewTokens: sampling.maxNewTokens,
    stopTokenIds: [...tok.stopTokenIds],
    stopStrings: sampling.stop,
    decode: (ids) => tok.decode(ids, { skipSpecialTokens: true }),
    seed: turnSeed,
    ...(options.onLogits ? { onLogits: (t: number, logits: Float32Array) => options.onLogits!(turn, t, runsNow, logits) } : {}),
  });

  // Room for every turn's new tokens plus a reply as long as the prompt (the memory plan's assumption);
  // a conversation that outgrows it is prefilled again into a larger cache.
  const longest = Math.max(...prompts.map((p) => p.ids.length));
  const capacity = env.maxTurns > 1 ? env.maxTurns * (longest + sampling.maxNewTokens) : 0;
  const reuse = options.reuseKvCache ?? true;
  const session = new GenerationSession(model);
  try {
    let active = runs.map((_, r) => r);
    for (let turn = 1; active.length > 0; turn++) {
      const turnSeed = turn === 1 ? seed : hash32(seed ^ hash32(turn + 0x7e57));
      const contexts = () => active.map((r) => runs[r].conv.tokens());
      const result =
        turn === 1
          ? await session.start(prompts.map((p) => p.ids), G, opts(turnSeed, turn, active), reuse ? capacity : 0)
          : reuse
            ? await session.continue(active, contexts(), opts(turnSeed, turn, active))
            : await session.start(contexts(), 1, opts(turnSeed, turn, active));
      // Rollouts are independent, so the environment answers them all at once (tools may be slow).
      const replies = await Promise.all(
        active.map((r, k) => {
          const run = runs[r];
          run.conv.addAssistantTurn(result.completions[k]);
          if (result.finish[k] === 'length') run.truncated = true;
          return env.respond({ row: rows[Math.floor(r / G)], messages: run.conv.messages, state: run.state, turn });
        }),
      );
      const next: number[] = [];
      for (let k = 0; k < active.length; k++) {
        const run = runs[active[k]];
        const reply = replies[k];
        run.state = reply.state;
        run.toolCalls += reply.toolCalls ?? 0;
        run.toolFailures += reply.toolFailures ?? 0;
        if (reply.done || turn >= env.maxTurns || !run.conv.canContinue) continue;
        if (run.conv.addEnvironmentTurn(reply.messages ?? [], model.dims.maxT - sampling.maxNewTokens)) next.push(active[k]);
        else run.truncated = true; // no room for the reply and another turn
      }
      active = next;
    }
  } finally {
    session.dispose();
  }

  return runs.map((run, r) => {
    const group = Math.floor(r / G);
    const prompt = prompts[group].ids;
    const all = run.conv.tokens();
    return {
      group,
      row: rows[group],
      promptText: prompts[group].text,
      prompt,
      completion: all.subarray(prompt.length),
      segments: run.conv.segments,
      generatedTokens: run.conv.segments.reduce((n, s) => n + (s.generated ? s.ids.length : 0), 0),
      text: run.conv.messages.findLast((m) => m.role === 'assistant')?.content ?? '',
      messages: run.conv.messages,
      state: run.state,
      turns: run.conv.turns,
      toolCalls: run.toolCalls,
      toolFailures: run.toolFailures,
      truncated: run.truncated,
    };
  });
}

/** Per-step metrics of multi-turn rollouts (TRL's names): tool calls per rollout, failed / calls, mean turns. */
export function multiTurnMetrics(rollouts: readonly Rollout[]): Record<string, number> {
  const n = Math.max(rollouts.length, 1);
  const calls = rollouts.reduce((a, r) => a + r.toolCalls, 0);
  const failures = rollouts.reduce((a, r) => a + r.toolFailures, 0);
  return {
    [METRIC.toolsCallFrequency]: calls / n,
    [METRIC.toolsFailureFrequency]: calls > 0 ? failures / calls : 0,
    [METRIC.numTurnsMean]: rollouts.reduce((a, r) => a + r.turns, 0) / n,
  };
}
