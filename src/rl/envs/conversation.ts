// One rollout's conversation as both messages and tokens. Tokens are only ever appended: the prompt, then
// alternately the tokens the policy sampled (kept exactly as sampled, never re-tokenised) and the context
// tokens of the environment's reply. So the sequence trained on is exactly the sequence the model saw.
//
// The context after an assistant turn comes from the chat template: render the whole conversation (with the
// generation prompt), check that it starts with the text the model has already seen (prompt + sampled
// turns + earlier replies), and tokenise only the rest ("<|im_end|>\n<|im_start|>user\nhigher<|im_end|>\n
// <|im_start|>assistant\n" with ChatML). This needs the template's prefix property: rendering turn k+1 keeps
// the text of turn k verbatim. ChatML (the bundled models, Qwen2.5, SmolLM2) has it. Templates that rewrite
// earlier turns break it (Qwen3's drops the <think> reasoning of assistant turns before the last user
// message; Llama 3's trims each message): then `addEnvironmentTurn` throws a ChatTemplateError, rather than
// train on a context the model never saw.

import { ChatTemplateError, renderChat } from '../../engine/chat.ts';
import type { Tokenizer } from '../../engine/tokenizer.ts';
import type { Segment } from '../batch.ts';
import type { ChatMessage } from './types.ts';

export interface ChatCodec {
  tokenizer: Tokenizer;
  chatTemplate: string;
}

/**
 * Render messages as transformers' apply_chat_template does: with the tokenizer's bos_token and eos_token strings
 * (Llama 3's template starts with {{ bos_token }}). Encoding adds no special tokens of its own, so a BOS the
 * template writes appears once, never twice (apply_chat_template also tokenises with add_special_tokens=False).
 */
export function renderConversation(codec: ChatCodec, messages: ChatMessage[]): string {
  const tok = codec.tokenizer;
  return renderChat(codec.chatTemplate, messages, { addGenerationPrompt: true, bosToken: tok.bosToken, eosToken: tok.eosToken });
}

/** The prompt for the first assistant turn: the rendered messages (with the generation prompt) and its tokens. */
export function encodeMessages(codec: ChatCodec, messages: ChatMessage[]): { text: string; ids: Int32Array } {
  const text = renderConversation(codec, messages);
  return { text, ids: Int32Array.from(codec.tokenizer.encode(text)) };
}

export class Conversation {
  /** The conversation as the environment and the rubric read it (special tokens removed from the model's turns). */
  readonly messages: ChatMessage[];
  /** Prompt first, then generated and context segments in order. */
  readonly segments: Segment[] = [];
  /** The same conversation with the model's turns exactly as decoded (special tokens kept): what gets rendered. */
  private readonly rendered: ChatMessage[];
  /** Decoded text of every segment so far. */
  private seen: string;
  private length_ = 0;
  private assistantTurns = 0;
  private endedConversation = false;

  /** `prompt` is encodeMessages(codec, initial), passed in when several rollouts share it. */
  constructor(
    private readonly codec: ChatCodec,
    initial: ChatMessage[],
    prompt: { text: string; ids: Int32Array } = encodeMessages(codec, initial),
  ) {
    this.messages = initial.map((m) => ({ ...m }));
    this.rendered = initial.map((m) => ({ ...m }));
    this.seen = prompt.text;
    this.push(prompt.ids, false);
  }

  /** Tokens so far. */
  get length(): number {
    return this.length_;
  }

  get turns(): number {
    return this.assistantTurns;
  }

  /**
   * False once the model ended a turn with a stop token other than the one the template closes turns with (e.g.
   * Qwen's <|endoftext|> where ChatML writes <|im_end|>): the text it saw can no longer be extended by the
   * template's rendering, and the model has said it is done, so the conversation ends there.
   */
  get canContinue(): boolean {
    return !this.endedConversation;
  }

  /** All tokens so far, in one array (the next turn's prompt). */
  tokens(): Int32Array {
    const out = new Int32Array(this.length_);
    let at = 0;
    for (const s of this.segments) {
      out.set(s.ids, at);
      at += s.ids.length;
    }
    return out;
  }

  /**
   * Append a sampled assistant turn (ending with the end-of-turn token when the model stopped there).
   * Returns its text with special tokens removed, as added to `messages`.
   */
  addAssistantTurn(ids: Int32Array): string {
    const tok = this.codec.tokenizer;
    const raw = tok.decode(ids);
    const endsTurn = ids.length > 0 && tok.isStop(ids[ids.length - 1]);
    const body = endsTurn ? ids.subarray(0, ids.length - 1) : ids;
    const content = tok.decode(body);
    const text = tok.decode(body, { skipSpecialTokens: true });
    this.messages.push({ role: 'assistant', content: text });
    this.rendered.push({ role: 'assistant', content });
    this.seen += raw;
    if (endsTurn && !this.templateEndsTurnAsModelDid()) this.endedConversation = true;
    this.push(ids, true);
    this.assistantTurns++;
    return text;
  }

  /** Whether the template, rendering the conversation so far, closes the last turn with the stop token the model sampled. */
  private templateEndsTurnAsModelDid(): boolean {
    try {
      return renderConversation(this.codec, this.rendered).startsWith(this.seen);
    } catch {
      return false;
    }
  }

  /**
   * Append the environment's reply and the header of the next assistant turn, as context tokens, if the
   * conversation then has at most `maxLength` tokens; otherwise append nothing and return false. Throws a
   * ChatTemplateError when the template does not keep the conversation so far verbatim (see the file comment).
   */
  addEnvironmentTurn(reply: ChatMessage[], maxLength = Infinity): boolean {
    for (const m of reply) {
      if (typeof m?.role !== 'string' || typeof m.content !== 'string') {
        throw new TypeError('environment reply: each message needs a string role and content');
      }
    }
    if (this.endedConversation) throw new ChatTemplateError('the model ended the conversation (a stop token other than the end of turn): no further turns');
    const text = renderConversation(this.codec, [...this.rendered, ...reply]);
    if (!text.startsWith(this.seen)) {
      throw new ChatTemplateError(
        `the chat template rewrites earlier turns after assistant turn ${this.assistantTurns} (its rendering of the ` +
          'conversation no longer starts with the text the model saw), so multi-turn context cannot be appended; ' +
          'use a template that keeps earlier turns verbatim, such as ChatML',
      );
    }
    const ids = Int32Array.from(this.codec.tokenizer.encode(text.slice(this.seen.length)));
    if (this.length_ + ids.length > maxLength) return false;
    for (const m of reply) {
      this.messages.push({ ...m });
      this.rendered.push({ ...m });
    }
    this.seen = text;
    this.push(ids, false);
    return true;
  }

  private push(ids: Int32Array, generated: boolean): void {
    this.segments.push({ ids, generated });
    this.length_ += ids.length;
  }
}
