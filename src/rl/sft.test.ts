// Supervised fine-tuning: both example forms put exactly the assistant's tokens in the loss, and a tiny
// random model's loss falls when trained on calculator demonstrations (multi-turn, tool results masked).
import { describe, expect, it } from 'vitest';
import { CHATML_NO_SYSTEM_TEMPLATE } from '../engine/chat.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { createTinyModel, type LoadedModel } from '../engine/io/model-folder.ts';
import { DEFAULT_EXTRA_TOKENS } from '../engine/tokenizer.ts';
import { packBatch } from './batch.ts';
import { demoPolicy, playDemonstration } from './demos.ts';
import { sftSequence, supervisedFineTune } from './sft.ts';
import { createTask } from './tasks/index.ts';

const EXTRA = [...DEFAULT_EXTRA_TOKENS, '<tool>', '</tool>', '<args>', '</args>'];

function tinyModel(): LoadedModel {
  return createTinyModel({
    seed: 2,
    extraTokens: EXTRA,
    chatTemplate: CHATML_NO_SYSTEM_TEMPLATE,
    config: { hidden_size: 32, intermediate_size: 64, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2 },
  });
}

const calculator = createTask('calculator', {});
const policy = demoPolicy('calculator');

describe('supervised fine-tuning', () => {
  it('trains exactly the assistant tokens: the reply of a single-turn example, both turns of a conversation', async () => {
    const loaded = tinyModel();
    const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
    const tok = loaded.tokenizer;
    const arithmetic = createTask('arithmetic', {});
    const row = arithmetic.trainRow(1, 0);
    const demo = await playDemonstration(codec, calculator, calculator.trainRow(1, 0), policy);
    const batch = packBatch(
      [sftSequence(codec, calculator, { task: arithmetic, row, completion: `<answer>${row.answer}</answer>` }), sftSequence(codec, calculator, demo)],
      tok.padTokenId,
    );
    const trained = (s: number) => tok.decode(Int32Array.from(batch.targets.subarray(s * batch.T, (s + 1) * batch.T).filter((_, t) => batch.mask[s * batch.T + t] === 1)));
    expect(trained(0)).toBe(`<answer>${row.answer}</answer><|im_end|>`);
    const [call, result, reply] = demo.messages.slice(-3);
    expect(result.role).toBe('tool');
    expect(trained(1)).toBe(`${call.content}<|im_end|>${reply.content}<|im_end|>`);
    // The tool's reply is in the sequence (context), never a trained target.
    const context = tok.decode(Int32Array.from(batch.targets.subarray(batch.T, 2 * batch.T).filter((_, t) => batch.mask[batch.T + t] === 0)));
    expect(context).toContain(`<|im_start|>tool\n${result.content}<|im_end|>`);
  });

  it('a tiny model learns calculator demonstrations: the loss falls', async () => {
    const loaded = tinyModel();
    const codec = { tokenizer: loaded.tokenizer, chatTemplate: loaded.chatTemplate };
    const losses: number[] = [];
    await supervisedFineTune(
      loaded,
      new CpuBackend(),
      calculator,
      async (i) => ({ segments: (await playDemonstration(codec, calculator, calculator.trainRow(1, i), policy)).segments }),
      { steps: 40, batchSize: 4, learningRate: 1e-2, onStep: (_, loss) => losses.push(loss) },
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    expect(first).toBeGreaterThan(3.5); // about ln(vocab) at random init
    expect(last, `loss ${first.toFixed(3)} -> ${last.toFixed(3)}`).toBeLessThan(first * 0.6);
  }, 60_000);
});
