// Expert demonstrations for supervised pretraining: an ideal policy per task (what a perfect assistant
// replies next, given the row and the conversation so far), played through the task's own environment with
// the same Conversation that rollouts use. So the demonstration's tokens are exactly what the model sees at
// rollout time: the prompt, each reply as its own tokens plus the end-of-turn token (generated, trained on),
// and the environment's replies with the template's markup between turns (context, masked out of the loss).
//
// Policies: the single-turn tasks answer <answer>…</answer> (countdown with the generator's own solution,
// length with as many words as asked); calculator calls the tool on the row's expression, then answers with
// the tool's result (optionally answering a share of products at once, in its head: see DemoOptions);
// guess-number plays binary search from the higher/lower replies so far (demos-guess-number.ts has a variant
// built to generalise to held-out secrets); word-game guesses words consistent with the marks (demos-word-game.ts).

import type { Segment } from './batch.ts';
import { calculatorTool } from './envs/calculator-tool.ts';
import { Conversation, encodeMessages, type ChatCodec } from './envs/conversation.ts';
import { environmentOf } from './envs/single-turn.ts';
import type { ChatMessage } from './envs/types.ts';
import type { Rollout } from './rollout.ts';
import { guessNumberRules, parseGuessNumberParams } from './tasks/guess-number.ts';
import { parseWordGameParams } from './tasks/word-game.ts';
import { wordGameDemo } from './demos-word-game.ts';
import { hashString } from './tasks/split.ts';
import type { Task, TaskParams, TaskRow } from './tasks/types.ts';

/** What a policy sees before its next reply: the row and the conversation so far (ending with a user or tool message). */
export interface DemoContext {
  row: TaskRow;
  messages: readonly ChatMessage[];
}

/** The assistant's next reply (text without the end-of-turn token). */
export type DemoPolicy = (ctx: DemoContext) => string;

/** Tasks with an ideal policy, in the order the error message lists them. */
export const DEMO_TASKS = ['arithmetic', 'reverse', 'sort', 'own-data', 'countdown', 'length', 'calculator', 'guess-number', 'word-game'] as const;

export interface DemoOptions {
  /**
   * calculator: the fraction of problems with a product ("3*7+8") that the expert works out in its head and
   * answers at once, without the tool (picked by a fixed hash of the prompt). Default 0. A tiny model cannot
   * multiply, so a model pretrained on this habit gets such problems wrong when it follows it, while sums
   * and differences, always computed with the tool, come out right: GRPO then has a better choice to find.
   */
  directProducts?: number;
}

const DIRECT_SALT = 0xd1ec7;

export class DemoError extends Error {
  override name = 'DemoError';
}

const answer = (text: string) => `<answer>${text}</answer>`;

/** Filler for the length task after the topic's own words. */
const FILLER = ['is', 'calm', 'and', 'bright', 'in', 'the', 'early', 'morning', 'light'];

/** "5 words about the sea" -> "the sea is calm and": exactly the asked-for number of words (or `words`, for a flaw). */
export function lengthReply(row: TaskRow, words = Number(row.answer)): string {
  const topic = String((row.info as { topic?: unknown } | undefined)?.topic ?? '').split(' ').filter(Boolean);
  const pool = [...topic, ...FILLER];
  return answer(Array.from({ length: words }, (_, i) => pool[i % pool.length]).join(' '));
}

/** Binary search over the range the higher/lower replies so far leave open. */
function guessNumberPolicy(params: TaskParams): DemoPolicy {
  const { maxNumber } = parseGuessNumberParams(params);
  const rules = guessNumberRules(maxNumber);
  return ({ messages }) => {
    let lo = 1;
    let hi = maxNumber;
    for (let i = 0; i + 1 < messages.length; i++) {
      if (messages[i].role !== 'assistant') continue;
      const guess = rules.readMove(messages[i].content);
      const feedback = messages[i + 1].content; // the game's words: "higher" or "lower" (or a format reminder)
      if (guess === undefined) continue;
      if (feedback === 'higher') lo = Math.max(lo, guess + 1);
      else if (feedback === 'lower') hi = Math.min(hi, guess - 1);
    }
    return `<guess>${Math.floor((lo + Math.max(lo, hi)) / 2)}</guess>`;
  };
}

/** Call the calculator on the row's expression (or, for a share of products, answer at once); then answer with its result. */
function calculatorPolicy(directProducts: number): DemoPolicy {
  if (!(directProducts >= 0 && directProducts <= 1)) throw new DemoError(`directProducts must be in [0, 1], got ${directProducts}`);
  return ({ row, messages }) => {
    const last = messages[messages.length - 1];
    if (last?.role === 'tool' && !last.content.startsWith('error')) return answer(last.content);
    if (row.prompt.includes('*') && hashString(row.prompt, DIRECT_SALT) < directProducts * 2 ** 32) return answer(row.answer);
    return `<tool>${calculatorTool.name}</tool><args>${row.prompt}</args>`;
  };
}

/** The ideal policy for a task with these params; throws DemoError for a task without one. */
export function demoPolicy(taskName: string, params: TaskParams = {}, options: DemoOptions = {}): DemoPolicy {
  switch (taskName) {
    case 'arithmetic':
    case 'reverse':
    case 'sort':
    case 'own-data':
      return ({ row }) => answer(row.answer);
    case 'countdown':
      return ({ row }) => answer(String((row.info as { solution: string }).solution));
    case 'length':
      return ({ row }) => lengthReply(row);
    case 'calculator':
      return calculatorPolicy(options.directProducts ?? 0);
    case 'guess-number':
      return guessNumberPolicy(params);
    case 'word-game':
      return wordGameDemo(parseWordGameParams(params), 0.5, false); // pretrain draws a u per episode instead, and the codes' flaw
    default:
      throw new DemoError(`no demonstrations for task '${taskName}' (pretrain can demonstrate: ${DEMO_TASKS.join(', ')})`);
  }
}

/**
 * Play `policy` on `row` through the task's environment, as sampleRollouts would with a model that wrote
 * exactly these replies (each reply encoded, then the end-of-turn token). Stops when the environment is done,
 * at its turn limit, or (truncated) when its reply and another turn would not fit in `maxLength` tokens.
 * Returns the episode as a Rollout (group 0), so it can be scored (scoreContext) and packed like one.
 */
export async function playDemonstration(codec: ChatCodec, task: Task, row: TaskRow, policy: DemoPolicy, maxLength = Infinity): Promise<Rollout> {
  const env = environmentOf(task);
  const tok = codec.tokenizer;
  const initial = env.initialMessages(row);
  const prompt = encodeMessages(codec, initial);
  const conv = new Conversation(codec, initial, prompt);
  let state = env.initialState(row);
  let toolCalls = 0;
  let toolFailures = 0;
  let truncated = false;
  for (let turn = 1; ; turn++) {
    const reply = policy({ row, messages: conv.messages });
    conv.addAssistantTurn(Int32Array.from([...tok.encode(reply), tok.eosTokenId]));
    const out = await env.respond({ row, messages: conv.messages, state, turn });
    state = out.state;
    toolCalls += out.toolCalls ?? 0;
    toolFailures += out.toolFailures ?? 0;
    if (out.done || turn >= env.maxTurns) break;
    if (!conv.addEnvironmentTurn(out.messages ?? [], maxLength)) {
      truncated = true;
      break;
    }
  }
  const all = conv.tokens();
  const segments: Segment[] = conv.segments;
  return {
    group: 0,
    row,
    promptText: prompt.text,
    prompt: prompt.ids,
    completion: all.subarray(prompt.ids.length),
    segments,
    generatedTokens: segments.reduce((n, s) => n + (s.generated ? s.ids.length : 0), 0),
    text: conv.messages.findLast((m) => m.role === 'assistant')?.content ?? '',
    messages: conv.messages,
    state,
    turns: conv.turns,
    toolCalls,
    toolFailures,
    truncated,
  };
}
