// Tool calls in an assistant turn. The format, one call:
//
//   <tool>NAME</tool><args>ARGUMENTS</args>
//
// NAME is 1-64 letters, digits, _ . or - (starting with a letter or _); ARGUMENTS is free text handed to the
// tool verbatim after trimming (for the calculator, an arithmetic expression). Whitespace may separate
// </tool> and <args>. A turn may hold several calls; every `<tool>` opened counts as one attempted call, and a
// malformed one is a failed call with a message that says what was wrong (the model reads it next turn).
// Model output is untrusted: the scan is indexOf only (linear time, no regular expression over the text, no
// eval), names and arguments are length-capped, and a turn stops being read after `maxCalls` calls.

const TOOL_OPEN = '<tool>';
const TOOL_CLOSE = '</tool>';
const ARGS_OPEN = '<args>';
const ARGS_CLOSE = '</args>';
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export type ToolCall = { ok: true; name: string; args: string } | { ok: false; name?: string; error: string };

export interface ToolCallLimits {
  /** Calls read per turn; one more `<tool>` is reported as a failure and the rest are ignored. Default 4. */
  maxCalls?: number;
  /** Longest ARGUMENTS accepted, in characters. Default 1000. */
  maxArgsLength?: number;
}

/** Printable preview of untrusted text for error messages (bounded length, control characters escaped). */
function preview(text: string, max = 24): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Every tool call in `text`, in order (empty when the turn calls no tool). */
export function parseToolCalls(text: string, limits: ToolCallLimits = {}): ToolCall[] {
  const maxCalls = limits.maxCalls ?? 4;
  const maxArgs = limits.maxArgsLength ?? 1000;
  const calls: ToolCall[] = [];
  let pos = 0;
  for (let open = text.indexOf(TOOL_OPEN, pos); open !== -1; open = text.indexOf(TOOL_OPEN, pos)) {
    if (calls.length === maxCalls) {
      calls.push({ ok: false, error: `too many tool calls in one turn (at most ${maxCalls})` });
      break;
    }
    const nameStart = open + TOOL_OPEN.length;
    const nameEnd = text.indexOf(TOOL_CLOSE, nameStart);
    if (nameEnd === -1) {
      calls.push({ ok: false, error: `${TOOL_OPEN} is never closed with ${TOOL_CLOSE}` });
      break;
    }
    pos = nameEnd + TOOL_CLOSE.length;
    const name = text.slice(nameStart, nameEnd).trim();
    if (!NAME.test(name.length > 64 ? '' : name)) {
      calls.push({ ok: false, error: `invalid tool name ${preview(name)}` });
      continue;
    }
    let i = pos;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (!text.startsWith(ARGS_OPEN, i)) {
      calls.push({ ok: false, name, error: `${TOOL_CLOSE} must be followed by ${ARGS_OPEN}…${ARGS_CLOSE}` });
      continue;
    }
    const argsStart = i + ARGS_OPEN.length;
    const argsEnd = text.indexOf(ARGS_CLOSE, argsStart);
    if (argsEnd === -1) {
      calls.push({ ok: false, name, error: `${ARGS_OPEN} is never closed with ${ARGS_CLOSE}` });
      break;
    }
    pos = argsEnd + ARGS_CLOSE.length;
    const args = text.slice(argsStart, argsEnd).trim();
    if (args.length > maxArgs) {
      calls.push({ ok: false, name, error: `arguments too long (${args.length} characters, at most ${maxArgs})` });
      continue;
    }
    calls.push({ ok: true, name, args });
  }
  return calls;
}
