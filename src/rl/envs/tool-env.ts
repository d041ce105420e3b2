// Tool-use environment (in the spirit of verifiers' ToolEnv): the model may call tools in the format of
// tool-calls.ts; after each assistant turn that calls one or more tools, the environment runs them and answers
// with one `tool` message per call (the result, or "error: …"); a turn without a tool call is the final answer
// and ends the rollout. The state counts calls and failures (ToolState), for the `tool_use` criterion.

import { openingMessages } from './single-turn.ts';
import { parseToolCalls, type ToolCallLimits } from './tool-calls.ts';
import type { ChatMessage, Environment, ToolState } from './types.ts';

/** A failure the model should read ("division by zero"); any other exception from a tool is a bug. */
export class ToolError extends Error {
  override name = 'ToolError';
}

export interface Tool {
  /** What the model writes inside <tool></tool>. */
  name: string;
  /** One short line for the system prompt, e.g. "arithmetic with + - * / and parentheses". */
  description: string;
  /** Run on the (trimmed) arguments; throw ToolError for a failure the model caused. */
  run(args: string): string | Promise<string>;
}

export interface ToolEnvironmentOptions {
  tools: Tool[];
  /** The whole system message; include describeTools(tools) so the model learns the format. */
  systemPrompt: string;
  maxTurns: number;
  limits?: ToolCallLimits;
}

async function runTool(tools: Map<string, Tool>, name: string, args: string): Promise<{ result: string } | { error: string }> {
  const tool = tools.get(name);
  if (!tool) return { error: `unknown tool ${JSON.stringify(name)} (tools: ${[...tools.keys()].join(', ')})` };
  try {
    return { result: await tool.run(args) };
  } catch (e) {
    if (e instanceof ToolError) return { error: e.message };
    throw e;
  }
}

/** The system-prompt paragraph that teaches the format and lists the tools. */
export function describeTools(tools: readonly Tool[]): string {
  const list = tools.map((t) => `${t.name}: ${t.description}`).join('\n');
  return `Call a tool as <tool>NAME</tool><args>ARGUMENTS</args>; its result comes back.\n${list}`;
}

export function toolEnvironment(opts: ToolEnvironmentOptions): Environment<ToolState> {
  const tools = new Map(opts.tools.map((t) => [t.name, t]));
  if (tools.size !== opts.tools.length) throw new Error('toolEnvironment: duplicate tool name');
  return {
    maxTurns: opts.maxTurns,
    initialMessages: (row) => openingMessages(opts.systemPrompt, row.prompt),
    initialState: () => ({ toolCalls: 0, toolFailures: 0 }),
    async respond({ messages, state }) {
      const calls = parseToolCalls(messages[messages.length - 1].content, opts.limits);
      if (calls.length === 0) return { state, done: true };
      const replies: ChatMessage[] = [];
      let failures = 0;
      for (const call of calls) {
        const out = call.ok ? await runTool(tools, call.name, call.args) : { error: call.error };
        if ('error' in out) failures++;
        replies.push({ role: 'tool', content: 'error' in out ? `error: ${out.error}` : out.result });
      }
      return {
        state: { toolCalls: state.toolCalls + calls.length, toolFailures: state.toolFailures + failures },
        done: false,
        messages: replies,
        toolCalls: calls.length,
        toolFailures: failures,
      };
    },
  };
}
