import { describe, expect, it } from 'vitest';
import { Tokenizer, TokenizerError, buildCharTokenizer } from './tokenizer.ts';
import { CHATML_TEMPLATE, renderChat } from './chat.ts';

const charTokenizer = (extraTokens?: string[]) => {
  const { tokenizerJson, tokenizerConfig } = buildCharTokenizer({ extraTokens });
  return Tokenizer.fromJSON(tokenizerJson, tokenizerConfig);
};

/** GPT-2's byte -> printable character table, to build a small byte-level tokenizer like SmolLM2's or Qwen's. */
function bytesToUnicode(): string[] {
  const table: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    table.push(String.fromCharCode(printable ? b : 256 + extra++));
  }
  return table;
}

describe('char tokenizer', () => {
  const tok = charTokenizer();

  it('has the special tokens at 0, 1, 2 and eos/pad from tokenizer_config', () => {
    expect(tok.encode('<|endoftext|><|im_start|><|im_end|>')).toEqual([0, 1, 2]);
    expect(tok.eosTokenId).toBe(2);
    expect(tok.padTokenId).toBe(0);
    expect(tok.bosTokenId).toBeUndefined();
    expect(tok.vocabSize).toBe(3 + 96 + 4);
    expect(tok.idOf('<|im_end|>')).toBe(2);
    expect(tok.idOf('a')).toBe(3 + 1 + ('a'.charCodeAt(0) - 32));
    expect(tok.idOf('nope')).toBeUndefined();
  });

  it('round-trips ASCII exactly, spaces and punctuation included', () => {
    let all = '\n';
    for (let c = 32; c <= 126; c++) all += String.fromCharCode(c);
    const texts = [all, '  two leading, trailing  ', 'Hello , world . it \' s n\'t ?!', 'a\n\n b', ' '];
    for (const text of texts) {
      const ids = tok.encode(text);
      expect(ids.length).toBe(text.length);
      expect(tok.decode(ids)).toBe(text);
    }
    expect(tok.encode('')).toEqual([]);
    expect(tok.decode([])).toBe('');
    expect(tok.decode(new Int32Array(tok.encode('typed')))).toBe('typed');
  });

  it('matches extra tokens whole, even inside words, and keeps them when skipping special tokens', () => {
    const answer = tok.idOf('<answer>');
    expect(answer).toBe(3 + 96 + 2);
    expect(tok.encode('<answer>')).toEqual([answer]);
    const ids = tok.encode('x<think>hm</think><answer>42</answer>');
    expect(ids.length).toBe(1 + 1 + 2 + 1 + 1 + 2 + 1);
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('x<think>hm</think><answer>42</answer>');
    expect(tok.encode('<answer').length).toBe(7); // an incomplete tag is plain characters
  });

  it('drops special tokens on request', () => {
    const ids = tok.encode('<|im_start|>assistant\nhi<|im_end|><|endoftext|>');
    expect(ids[0]).toBe(1);
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe('assistant\nhi');
  });

  it('encodes characters outside the vocabulary as "?" without crashing', () => {
    const ids = tok.encode('tab\t é 😀!');
    expect(tok.decode(ids)).toBe('tab? ? ?!');
  });

  it('takes custom extra tokens and rejects clashing ones', () => {
    const custom = charTokenizer(['<tool>', '</tool>']);
    expect(custom.vocabSize).toBe(3 + 96 + 2);
    expect(custom.encode('<tool>')).toEqual([99]);
    expect(custom.idOf('<answer>')).toBeUndefined();
    expect(charTokenizer([]).vocabSize).toBe(99);
    expect(() => buildCharTokenizer({ extraTokens: ['x'] })).toThrow(TokenizerError);
    expect(() => buildCharTokenizer({ extraTokens: ['<a>', '<a>'] })).toThrow(TokenizerError);
    expect(() => buildCharTokenizer({ extraTokens: ['<|im_end|>'] })).toThrow(TokenizerError);
  });

  it('encodes a rendered ChatML conversation with the structural tokens as single ids', () => {
    const text = renderChat(CHATML_TEMPLATE, [{ role: 'user', content: 'What is 2+2?' }], { addGenerationPrompt: true });
    const ids = tok.encode(text);
    expect(ids.filter((i) => i === 1).length).toBe(2);
    expect(ids.filter((i) => i === 2).length).toBe(1);
    expect(tok.decode(ids)).toBe(text);
  });

  it('writes a tokenizer_config that names eos/pad and carries the ChatML template', () => {
    const { tokenizerConfig, tokenizerJson } = buildCharTokenizer();
    expect(tokenizerConfig.eos_token).toBe('<|im_end|>');
    expect(tokenizerConfig.pad_token).toBe('<|endoftext|>');
    expect(tokenizerConfig.bos_token).toBeNull();
    expect(tokenizerConfig.chat_template).toBe(CHATML_TEMPLATE);
    expect((tokenizerJson.model as { merges: unknown[] }).merges).toEqual([]);
  });
});

describe('Tokenizer over a byte-level BPE (Hub style)', () => {
  const byteChar = bytesToUnicode();
  const vocab: Record<string, number> = {};
  byteChar.forEach((ch, i) => (vocab[ch] = i));
  const merges = [
    ['Ġ', 't'],
    ['h', 'e'],
    ['Ġt', 'he'],
  ];
  for (const [a, b] of merges) vocab[a + b] = Object.keys(vocab).length;
  const specials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
  const firstSpecial = Object.keys(vocab).length;
  const tokenizerJson = {
    version: '1.0',
    added_tokens: specials.map((content, i) => ({ id: firstSpecial + i, content, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  };
  const tok = Tokenizer.fromJSON(tokenizerJson, { eos_token: '<|im_end|>', pad_token: '<|endoftext|>', bos_token: null });

  it('encodes with merges and special tokens, and decodes exactly (no clean-up of " .")', () => {
    const ids = tok.encode('<|im_start|> the end .<|im_end|>');
    expect(ids[0]).toBe(firstSpecial + 1);
    expect(ids).toContain(vocab['Ġthe']);
    expect(ids.at(-1)).toBe(firstSpecial + 2);
    expect(tok.decode(ids)).toBe('<|im_start|> the end .<|im_end|>');
    expect(tok.decode(tok.encode('héllo ☃ , ok'))).toBe('héllo ☃ , ok');
    expect(tok.eosTokenId).toBe(firstSpecial + 2);
    expect(tok.padTokenId).toBe(firstSpecial);
    expect(tok.vocabSize).toBe(firstSpecial + 3);
  });

  it('falls back to a given eos id and names a bad special token', () => {
    expect(Tokenizer.fromJSON(tokenizerJson, {}, { eosTokenId: 5 }).eosTokenId).toBe(5);
    expect(() => Tokenizer.fromJSON(tokenizerJson, {})).toThrow(/no eos_token/);
    expect(() => Tokenizer.fromJSON(tokenizerJson, { eos_token: '<eos>' })).toThrow(/eos_token "<eos>" is not in the vocabulary/);
    expect(Tokenizer.fromJSON(tokenizerJson, { eos_token: { content: '<|im_end|>', __type: 'AddedToken' } }).eosTokenId).toBe(firstSpecial + 2);
  });

  it('reports a malformed tokenizer.json as a TokenizerError', () => {
    expect(() => Tokenizer.fromJSON({ model: { type: 'Nope' } }, {})).toThrow(TokenizerError);
  });
});
