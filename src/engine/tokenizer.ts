// Tokenizer glue over @huggingface/tokenizers: encode never adds special tokens (chat templates write them as
// text, and text like "<|im_start|>" maps to its id), decode is exact (no "clean up" of spaces unless the
// tokenizer_config asks for it). Also builds the character-level tokenizer of the bundled tiny models.
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { CHATML_TEMPLATE } from './chat.ts';

export class TokenizerError extends Error {
  override name = 'TokenizerError';
}

type Json = Record<string, unknown>;

/** A special token in tokenizer_config.json is a string or (older files) an AddedToken object {content: …}. */
function tokenContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && v !== null && typeof (v as Json).content === 'string') return (v as Json).content as string;
  return undefined;
}

export interface TokenizerOptions {
  /** Used when tokenizer_config.json names no eos_token (e.g. config.json's eos_token_id). */
  eosTokenId?: number;
  /** More ids that end generation, as transformers' generate stops on (generation_config.json's eos_token_id). */
  stopTokenIds?: readonly number[];
}

export class Tokenizer {
  /** One past the largest token id (model vocabulary plus added tokens). */
  readonly vocabSize: number;
  /** The end-of-turn token the chat template writes after each message (tokenizer_config.json's eos_token). */
  readonly eosTokenId: number;
  readonly padTokenId: number;
  readonly bosTokenId: number | undefined;
  /** The special-token strings chat templates read as bos_token / eos_token (as apply_chat_template passes them). */
  readonly bosToken: string | undefined;
  readonly eosToken: string;
  /** Every id that ends a sampled turn: the eos token and the model's generation_config eos ids. */
  readonly stopTokenIds: readonly number[];
  private readonly stopSet: ReadonlySet<number>;
  private readonly cleanUpSpaces: boolean;

  private constructor(
    private readonly hf: HfTokenizer,
    config: Json,
    fallback: TokenizerOptions,
  ) {
    let maxId = -1;
    for (const id of hf.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    const idOfConfig = (key: string) => {
      const content = tokenContent(config[key]);
      if (content === undefined) return undefined;
      const id = this.idOf(content);
      if (id === undefined) throw new TokenizerError(`tokenizer_config.json ${key} "${content}" is not in the vocabulary`);
      return id;
    };
    const eos = idOfConfig('eos_token') ?? fallback.eosTokenId;
    if (eos === undefined) throw new TokenizerError('tokenizer_config.json has no eos_token');
    this.eosTokenId = eos;
    this.padTokenId = idOfConfig('pad_token') ?? eos;
    this.bosTokenId = idOfConfig('bos_token');
    this.bosToken = this.bosTokenId === undefined ? undefined : tokenContent(config.bos_token);
    this.eosToken = tokenContent(config.eos_token) ?? hf.id_to_token(eos) ?? '';
    for (const id of fallback.stopTokenIds ?? []) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new TokenizerError(`stop token id ${id} (generation_config.json eos_token_id) is outside the vocabulary of ${this.vocabSize} tokens`);
      }
    }
    this.stopTokenIds = [...new Set([eos, ...(fallback.stopTokenIds ?? [])])];
    this.stopSet = new Set(this.stopTokenIds);
    // @huggingface/tokenizers defaults this to true; transformers (>= 4.45) to false. Exactness matters more here.
    this.cleanUpSpaces = config.clean_up_tokenization_spaces === true;
  }

  /**
   * Build from parsed tokenizer.json and tokenizer_config.json (see TokenizerOptions for the model-level ids).
   */
  static fromJSON(tokenizerJson: object, tokenizerConfig: object, fallback: TokenizerOptions = {}): Tokenizer {
    let hf: HfTokenizer;
    try {
      hf = new HfTokenizer({ added_tokens: [], ...tokenizerJson }, tokenizerConfig);
    } catch (e) {
      throw new TokenizerError(`tokenizer.json could not be loaded: ${(e as Error).message}`, { cause: e });
    }
    return new Tokenizer(hf, tokenizerConfig as Json, fallback);
  }

  /** Whether sampling `id` ends the turn. */
  isStop(id: number): boolean {
    return this.stopSet.has(id);
  }

  /** Token ids of `text`; adds no BOS/EOS, but special tokens written in the text map to their ids. */
  encode(text: string): number[] {
    if (text.length === 0) return [];
    const ids = this.hf.encode(text, { add_special_tokens: false }).ids;
    return ids.filter((id) => id !== undefined);
  }

  decode(ids: ArrayLike<number>, opts: { skipSpecialTokens?: boolean } = {}): string {
    if (ids.length === 0) return ''; // the library throws on an empty list
    return this.hf.decode(Array.from(ids), {
      skip_special_tokens: opts.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: this.cleanUpSpaces,
    });
  }

  /** The id of one whole token (vocabulary entry or added token), or undefined. */
  idOf(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  /** The vocabulary string of an id (byte-level tokenizers show "Ġ" for a space), or undefined. */
  tokenOf(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }
}

// ---- The character tokenizer of the bundled tiny models ----

export const CHAR_SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;
export const DEFAULT_EXTRA_TOKENS = ['<think>', '</think>', '<answer>', '</answer>'];
/** What a character outside the vocabulary encodes to (one token per code point). */
export const UNKNOWN_CHAR = '?';

/** "\n" then printable ASCII 32..126. */
function charVocabulary(): string[] {
  const chars = ['\n'];
  for (let c = 32; c <= 126; c++) chars.push(String.fromCharCode(c));
  return chars;
}

/**
 * A Hugging Face tokenizer.json + tokenizer_config.json for a character-level vocabulary: ids 0-2 are the special
 * tokens <|endoftext|>, <|im_start|>, <|im_end|>; then "\n" and ASCII 32..126, one token each; then the extra
 * tokens (non-special, always matched whole). It is a BPE model with no merges and no pre-tokenizer, decoded by
 * Fuse (plain concatenation). A character outside the vocabulary (tab, é, emoji) encodes to "?" (BPE unk_token),
 * in @huggingface/tokenizers and in Python tokenizers alike.
 */
export function buildCharTokenizer(opts: { extraTokens?: string[] } = {}): { tokenizerJson: Json; tokenizerConfig: Json } {
  const extras = opts.extraTokens ?? DEFAULT_EXTRA_TOKENS;
  const chars = charVocabulary();
  const taken = new Set<string>([...CHAR_SPECIAL_TOKENS, ...chars]);
  for (const t of extras) {
    if (t.length < 2 || taken.has(t)) throw new TokenizerError(`extra token ${JSON.stringify(t)} is empty, a single character or a duplicate`);
    taken.add(t);
  }
  const all = [...CHAR_SPECIAL_TOKENS, ...chars, ...extras];
  const vocab: Record<string, number> = {};
  all.forEach((t, id) => (vocab[t] = id));

  const added = (content: string, id: number, special: boolean) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special,
  });
  const addedTokens = [
    ...CHAR_SPECIAL_TOKENS.map((t, i) => added(t, i, true)),
    ...extras.map((t, i) => added(t, CHAR_SPECIAL_TOKENS.length + chars.length + i, false)),
  ];
  const tokenizerJson: Json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: null,
    post_processor: null,
    decoder: { type: 'Fuse' },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: UNKNOWN_CHAR,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: [],
    },
  };
  const addedTokensDecoder: Json = {};
  for (const { id, ...rest } of addedTokens) addedTokensDecoder[String(id)] = rest;
  const tokenizerConfig: Json = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    added_tokens_decoder: addedTokensDecoder,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    clean_up_tokenization_spaces: false,
    model_max_length: 1_000_000,
    chat_template: CHATML_TEMPLATE,
  };
  return { tokenizerJson, tokenizerConfig };
}
