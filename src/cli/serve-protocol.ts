// The OpenAI chat-completions wire format as `serve` speaks it: the request schema (what is supported, with
// OpenAI's names and ranges), the error shape {"error":{message,type,param,code}}, and the response and
// streaming-chunk objects. Fields clients commonly send but that change nothing here (user, penalties of 0)
// are accepted; fields asking for something this server does not do (tools, logprobs) are refused by name.
import { z } from 'zod';

export const MAX_CHOICES = 16;
export const MAX_STOP_STRINGS = 4;

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const message = z.object({
  role: z.enum(['system', 'user', 'assistant', 'tool', 'developer']),
  // A string, or OpenAI's list of content parts (text parts only).
  content: z.union([z.string(), z.array(textPart)]),
});

const zeroOnly = (name: string) =>
  z
    .number()
    .optional()
    .refine((v) => v === undefined || v === 0, `${name} is not supported by this server (only 0)`);
const unsupported = (name: string) =>
  z
    .unknown()
    .optional()
    .refine((v) => v === undefined || v === null || v === false, `${name} is not supported by this server`);

export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().gt(0).max(1).optional(),
  max_tokens: z.number().int().min(1).nullable().optional(),
  max_completion_tokens: z.number().int().min(1).nullable().optional(),
  n: z.number().int().min(1).max(MAX_CHOICES).optional(),
  stop: z.union([z.string(), z.array(z.string()).max(MAX_STOP_STRINGS)]).nullable().optional(),
  seed: z.number().int().nullable().optional(),
  stream: z.boolean().nullable().optional(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullable().optional(),
  frequency_penalty: zeroOnly('frequency_penalty'),
  presence_penalty: zeroOnly('presence_penalty'),
  tools: unsupported('tools'),
  functions: unsupported('functions'),
  logprobs: unsupported('logprobs'),
});

export type ChatRequestBody = z.infer<typeof chatRequestSchema>;

/** An HTTP error with OpenAI's error body. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type = status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error',
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** Parse a request body, or throw an ApiError 400 naming the first bad field. */
export function parseChatRequest(json: unknown): ChatRequestBody {
  const r = chatRequestSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue.path.length ? issue.path.map(String).join('.') : null;
  throw new ApiError(400, param ? `${param}: ${issue.message}` : issue.message, param, 'invalid_value');
}

/** A message's content as text (content parts joined). */
export function messageText(content: ChatRequestBody['messages'][number]['content']): string {
  return typeof content === 'string' ? content : content.map((p) => p.text).join('');
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export function usage(promptTokens: number, completionTokens: number): Usage {
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
}

export function completionObject(
  id: string,
  created: number,
  model: string,
  choices: { text: string; finish: 'stop' | 'length' }[],
  use: Usage,
) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: choices.map((c, index) => ({ index, message: { role: 'assistant', content: c.text }, logprobs: null, finish_reason: c.finish })),
    usage: use,
  };
}

export function chunkObject(
  id: string,
  created: number,
  model: string,
  choices: { index: number; delta: { role?: 'assistant'; content?: string }; finish_reason: 'stop' | 'length' | null }[],
  use?: Usage | null,
) {
  const chunk: Record<string, unknown> = { id, object: 'chat.completion.chunk', created, model, choices };
  if (use !== undefined) chunk.usage = use;
  return chunk;
}
