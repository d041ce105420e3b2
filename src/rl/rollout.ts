// Rollouts for single-turn tasks: task rows -> chat prompts -> token ids -> G sampled completions per
// prompt -> decoded text. Completion text is untrusted model output: it is only ever scored and shown as text.
import type { TensorLike } from '../engine/backend.ts';
import { renderChat } from '../engine/chat.ts';
import { generate } from '../engine/generate.ts';
import type { Model } from '../engine/model.ts';
import type { Tokenizer } from '../engine/tokenizer.ts';
import { singleTurnMessages } from './envs/single-turn.ts';
import type { Task, TaskRow } from './tasks/types.ts';

export interface ChatCodec {
  tokenizer: Tokenizer;
  chatTemplate: string;
}

export interface SamplingSettings {
  temperature: number;
  topK: number;
  topP: number;
  maxNewTokens: number;
  stop: string[];
}

export interface Rollout {
  group: number; // index of the prompt within the batch
  row: TaskRow;
  promptText: string;
  prompt: Int32Array;
  completion: Int32Array;
  text: string; // decoded completion without special tokens
  truncated: boolean; // hit maxNewTokens without a stop
}

export function encodePrompt(codec: ChatCodec, task: Task, row: TaskRow): { text: string; ids: Int32Array } {
  const text = renderChat(codec.chatTemplate, singleTurnMessages(task, row), { addGenerationPrompt: true });
  return { text, ids: Int32Array.from(codec.tokenizer.encode(text)) };
}

export async function sampleRollouts<F extends TensorLike, I extends TensorLike>(
  model: Model<F, I>,
  codec: ChatCodec,
  task: Task,
  rows: TaskRow[],
  G: number,
  sampling: SamplingSettings,
  seed: number,
): Promise<Rollout[]> {
  const prompts = rows.map((row) => encodePrompt(codec, task, row));
  const tok = codec.tokenizer;
  const result = await generate(
    model,
    prompts.map((p) => p.ids),
    G,
    {
      temperature: sampling.temperature,
      topK: sampling.topK,
      topP: sampling.topP,
      maxNewTokens: sampling.maxNewTokens,
      stopTokenIds: [tok.eosTokenId],
      stopStrings: sampling.stop,
      decode: (ids) => tok.decode(ids, { skipSpecialTokens: true }),
      seed,
    },
  );
  return result.completions.map((completion, r) => {
    const group = Math.floor(r / G);
    return {
      group,
      row: rows[group],
      promptText: prompts[group].text,
      prompt: prompts[group].ids,
      completion,
      text: tok.decode(completion, { skipSpecialTokens: true }),
      truncated: result.finish[r] === 'length',
    };
  });
}
