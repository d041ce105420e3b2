// Chat templates: render a conversation to the prompt text a model was trained on, with the Jinja template from
// its tokenizer_config.json (rendered by @huggingface/jinja, which follows transformers' apply_chat_template:
// trim_blocks and lstrip_blocks on, raise_exception available). Compiled templates are cached per string.
import { Template } from '@huggingface/jinja';

export class ChatTemplateError extends Error {
  override name = 'ChatTemplateError';
}

export interface ChatMessage {
  role: string;
  content: string;
}

export interface RenderChatOptions {
  /** End with the header that opens an assistant turn, so the model's reply comes next. */
  addGenerationPrompt: boolean;
  bosToken?: string;
  eosToken?: string;
  /** Extra template variables, e.g. Qwen3's `enable_thinking`. */
  variables?: Record<string, unknown>;
}

/** ChatML, as used by Qwen and SmolLM2-Instruct and by the bundled tiny models. */
export const CHATML_TEMPLATE =
  '{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endfor %}' +
  '{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}';

/**
 * ChatML without system messages, for the bundled tiny character models: they learn the answer format from
 * their pretraining, not from instructions, and a system prompt would triple every sequence (char tokens).
 * Still a prefix-stable template (each message renders the same whatever follows).
 */
export const CHATML_NO_SYSTEM_TEMPLATE =
  "{% for message in messages %}{% if message.role != 'system' %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n{% endif %}{% endfor %}" +
  '{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}';

const MAX_CACHED = 16;
const cache = new Map<string, Template>();

function compile(template: string): Template {
  let t = cache.get(template);
  if (t) return t;
  try {
    t = new Template(template);
  } catch (e) {
    throw new ChatTemplateError(`chat template could not be parsed: ${(e as Error).message}`, { cause: e });
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
  cache.set(template, t);
  return t;
}

export function renderChat(template: string, messages: ChatMessage[], opts: RenderChatOptions): string {
  const compiled = compile(template);
  try {
    return compiled.render({
      ...opts.variables,
      messages: messages.map((m) => ({ role: m.role, content: m.content })),
      add_generation_prompt: opts.addGenerationPrompt,
      bos_token: opts.bosToken ?? '',
      eos_token: opts.eosToken ?? '',
    });
  } catch (e) {
    throw new ChatTemplateError(`chat template failed to render: ${(e as Error).message}`, { cause: e });
  }
}
