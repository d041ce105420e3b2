// The conversation's tokens: the prefix property of the ChatML template across turns, incremental tokens
// equal to tokenising the rendered conversation from scratch, the loss mask on a real tokenised conversation,
// and a clear error for templates that rewrite earlier turns.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHATML_NO_SYSTEM_TEMPLATE, CHATML_TEMPLATE, ChatTemplateError, renderChat } from '../../engine/chat.ts';
import { loadModelFolder } from '../../engine/io/model-folder.ts';
import { nodeDirSource } from '../../engine/io/node-source.ts';
import { Tokenizer } from '../../engine/tokenizer.ts';
import { packBatch } from '../batch.ts';
import { Conversation, encodeMessages, type ChatCodec } from './conversation.ts';
import type { ChatMessage } from './types.ts';

/** GPT-2's byte -> printable character table, for a Hub-style byte-level BPE. */
function bytesToUnicode(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  const out: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) out.push(String.fromCharCode(printable(b) ? b : 256 + n++));
  return out;
}

/** A small byte-level BPE with merges that span the places where turns meet ("\n<", ">\n", "er"). */
function byteLevelTokenizer(): Tokenizer {
  const vocab: Record<string, number> = {};
  bytesToUnicode().forEach((ch, i) => (vocab[ch] = i));
  const merges = [['Ċ', '<'], ['>', 'Ċ'], ['e', 'r'], ['h', 'i'], ['g', 'u'], ['gu', 'e'], ['gue', 's'], ['gues', 's']];
  for (const [a, b] of merges) vocab[a + b] = Object.keys(vocab).length;
  const specials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
  const first = Object.keys(vocab).length;
  const level = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return Tokenizer.fromJSON(
    {
      version: '1.0',
      added_tokens: specials.map((content, i) => ({ id: first + i, content, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false })),
      normalizer: null,
      pre_tokenizer: { type: 'ByteLevel', ...level },
      post_processor: null,
      decoder: { type: 'ByteLevel', ...level },
      model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
    },
    { eos_token: '<|im_end|>', pad_token: '<|endoftext|>', bos_token: null },
  );
}

const bundled = await loadModelFolder(nodeDirSource(join(import.meta.dirname, '..', '..', '..', 'public', 'models', 'tiny-arith')));
const codecs: [string, ChatCodec][] = [
  // The bundled models drop system messages (CHATML_NO_SYSTEM_TEMPLATE); these tests need the system turn.
  ['the bundled character tokenizer', { tokenizer: bundled.tokenizer, chatTemplate: CHATML_TEMPLATE }],
  ['a byte-level BPE', { tokenizer: byteLevelTokenizer(), chatTemplate: CHATML_TEMPLATE }],
];
expect(bundled.chatTemplate).toBe(CHATML_NO_SYSTEM_TEMPLATE);

const opening: ChatMessage[] = [
  { role: 'system', content: 'Find my number. Reply with <guess>N</guess>.' },
  { role: 'user', content: 'I am thinking of a number from 1 to 50.' },
];
/** Assistant turns and the environment's replies, alternating. */
const turns: [string, ChatMessage[]][] = [
  ['<guess>25</guess>', [{ role: 'user', content: 'higher' }]],
  ['I think <guess>37</guess>', [{ role: 'user', content: 'lower' }]],
  ['<tool>calculator</tool><args>(25+37)/2</args>', [{ role: 'tool', content: '31' }]],
  ['<guess>31</guess>', []],
];

function isPrefix(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe.each(codecs)('Conversation with ChatML and %s', (_name, codec) => {
  const tok = codec.tokenizer;
  const encode = (messages: ChatMessage[]) => tok.encode(renderChat(codec.chatTemplate, messages, { addGenerationPrompt: true }));

  it('prefix property: the tokens after turn k are a prefix of the tokens after turn k+1', () => {
    const messages = [...opening];
    let previous = encode(messages);
    for (const [assistant, reply] of turns.slice(0, -1)) {
      messages.push({ role: 'assistant', content: assistant }, ...reply);
      const next = encode(messages);
      expect(isPrefix(previous, next), `after ${JSON.stringify(assistant)}`).toBe(true);
      expect(next.length).toBeGreaterThan(previous.length);
      previous = next;
    }
  });

  it('appending sampled turns and replies gives exactly the tokens of the rendered conversation', () => {
    const conv = new Conversation(codec, opening);
    const messages = [...opening];
    expect([...conv.tokens()]).toEqual(encode(messages));
    for (const [assistant, reply] of turns) {
      // What the model samples: the reply's tokens, then the end-of-turn token.
      const text = conv.addAssistantTurn(Int32Array.from([...tok.encode(assistant), tok.eosTokenId]));
      expect(text).toBe(assistant);
      messages.push({ role: 'assistant', content: assistant }, ...reply);
      if (reply.length === 0) break;
      expect(conv.addEnvironmentTurn(reply)).toBe(true);
      expect([...conv.tokens()]).toEqual(encode(messages));
    }
    expect(conv.turns).toBe(4);
    expect(conv.messages).toEqual(messages);
    // The finished conversation is the template's rendering without the final "\n" after <|im_end|>.
    const full = tok.decode(conv.tokens());
    expect(full + '\n').toBe(renderChat(codec.chatTemplate, messages, { addGenerationPrompt: false }));
  });

  it('the loss mask is 1 exactly on the tokens the model sampled, 0 on the prompt and on environment tokens', () => {
    const conv = new Conversation(codec, opening);
    for (const [assistant, reply] of turns) {
      conv.addAssistantTurn(Int32Array.from([...tok.encode(assistant), tok.eosTokenId]));
      if (reply.length) conv.addEnvironmentTurn(reply);
    }
    const { tokens, targets, mask, T, generatedTokens } = packBatch([{ segments: conv.segments, include: true }], tok.padTokenId);
    const ids = conv.tokens();
    expect(T).toBe(ids.length - 1);
    expect([...tokens]).toEqual([...ids.subarray(0, -1)]);
    expect([...targets]).toEqual([...ids.subarray(1)]);
    const trained = targets.filter((_, t) => mask[t] === 1);
    const context = targets.filter((_, t) => mask[t] === 0);
    expect(generatedTokens).toBe(trained.length);
    // Trained text: the four assistant turns, each with the end-of-turn token the model sampled.
    expect(tok.decode(trained)).toBe(turns.map(([a]) => `${a}<|im_end|>`).join(''));
    // Untrained text: the prompt (less its first token, never a target) and every environment reply.
    const contextText = tok.decode(context);
    for (const reply of ['higher', 'lower', '<|im_start|>tool\n31<|im_end|>']) expect(contextText).toContain(reply);
    expect(contextText).not.toContain('<guess>2'); // the system prompt's <guess>N</guess> is context
    // Token by token: each mask value matches the segment its target falls in.
    const generatedAt: boolean[] = conv.segments.flatMap((s) => Array.from(s.ids, () => s.generated));
    for (let t = 0; t < T; t++) expect(mask[t], `t=${t}`).toBe(generatedAt[t + 1] ? 1 : 0);
  });

  it('a turn cut short (no end token) is closed by the template as context', () => {
    const conv = new Conversation(codec, opening);
    conv.addAssistantTurn(Int32Array.from(tok.encode('<guess>2')));
    conv.addEnvironmentTurn([{ role: 'user', content: 'Reply with <guess>N</guess>.' }]);
    const last = conv.segments[conv.segments.length - 1];
    expect(last.generated).toBe(false);
    expect(tok.decode(last.ids)).toBe('<|im_end|>\n<|im_start|>user\nReply with <guess>N</guess>.<|im_end|>\n<|im_start|>assistant\n');
  });

  it('refuses a reply that would not fit, appending nothing', () => {
    const conv = new Conversation(codec, opening);
    conv.addAssistantTurn(Int32Array.from([...tok.encode('<guess>25</guess>'), tok.eosTokenId]));
    const before = conv.length;
    expect(conv.addEnvironmentTurn([{ role: 'user', content: 'higher' }], before + 3)).toBe(false);
    expect(conv.length).toBe(before);
    expect(conv.messages.at(-1)?.role).toBe('assistant');
  });
});

describe('templates without the prefix property', () => {
  it('one that drops earlier reasoning (as Qwen3 does) fails with a clear ChatTemplateError', () => {
    // Like Qwen3: an assistant message that is no longer the last one loses its <think>...</think> block.
    // The model sampled its turn with the reasoning in context; a later render no longer has it, so the
    // conversation after turn k+1 does not start with the conversation after turn k.
    const stripping =
      '{% for m in messages %}<|im_start|>{{ m.role }}\n' +
      "{% if m.role == 'assistant' and not loop.last %}{{ m.content.split('</think>')[-1] }}{% else %}{{ m.content }}{% endif %}" +
      '<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}';
    const codec = { tokenizer: bundled.tokenizer, chatTemplate: stripping };
    const conv = new Conversation(codec, opening);
    const tok = codec.tokenizer;
    conv.addAssistantTurn(Int32Array.from([...tok.encode('<think>halfway</think><guess>25</guess>'), tok.eosTokenId]));
    expect(() => conv.addEnvironmentTurn([{ role: 'user', content: 'higher' }])).toThrow(ChatTemplateError);
    expect(() => conv.addEnvironmentTurn([{ role: 'user', content: 'higher' }])).toThrow(/rewrites earlier turns after assistant turn 1/);
    // Without reasoning to drop, the same template keeps the property.
    const plain = new Conversation(codec, opening);
    plain.addAssistantTurn(Int32Array.from([...tok.encode('<guess>25</guess>'), tok.eosTokenId]));
    expect(plain.addEnvironmentTurn([{ role: 'user', content: 'higher' }])).toBe(true);
  });

  it('encodeMessages renders with the generation prompt', () => {
    const codec = { tokenizer: bundled.tokenizer, chatTemplate: CHATML_TEMPLATE };
    expect(encodeMessages(codec, opening).text.endsWith('<|im_start|>assistant\n')).toBe(true);
  });
});
