import { describe, expect, it } from 'vitest';
import { calculatorTool, evaluateArithmetic, formatNumber } from './calculator-tool.ts';
import { describeTools, ToolError, toolEnvironment, type Tool } from './tool-env.ts';
import type { ChatMessage, ToolState } from './types.ts';

describe('evaluateArithmetic (the calculator, no eval)', () => {
  it('follows precedence, parentheses, unary signs, decimals and spaces', () => {
    expect(evaluateArithmetic('2+3*4')).toBe(14);
    expect(evaluateArithmetic('(2+3)*4')).toBe(20);
    expect(evaluateArithmetic('10-4-3')).toBe(3);
    expect(evaluateArithmetic('2*3/4')).toBe(1.5);
    expect(evaluateArithmetic(' -(-3) * +2 ')).toBe(6);
    expect(evaluateArithmetic('1.5*4')).toBe(6);
    expect(evaluateArithmetic('.5+1.')).toBe(1.5);
    expect(evaluateArithmetic('0*-1')).toBe(0);
    expect(Object.is(evaluateArithmetic('0*-1'), -0)).toBe(false);
    expect(evaluateArithmetic('347*28+19')).toBe(9735);
  });

  it('refuses anything else with a message the model can read', () => {
    const cases: [string, RegExp][] = [
      ['', /empty expression/],
      ['2+', /expected a number at the end/],
      ['2*(3+4', /expected '\)' at the end/],
      ['2)', /unexpected character at "\)" \(position 2\)/],
      ['alert(1)', /expected a number at "a" \(position 1\)/],
      ['constructor', /expected a number/],
      ['2**3', /expected a number at "\*" \(position 3\)/],
      ['1e3', /unexpected character at "e"/],
      ['0x10', /unexpected character at "x"/],
      ['1/0', /division by zero/],
      ['1/(2-2)', /division by zero/],
      ['9'.repeat(16), /number too long/],
      ['99999999*99999999', /result too large/],
      ['1+'.repeat(150) + '1', /expression too long/],
      ['('.repeat(40) + '1' + ')'.repeat(40), /nested too deeply/],
      ['-'.repeat(60) + '1', /nested too deeply/],
    ];
    for (const [expr, message] of cases) {
      expect(() => evaluateArithmetic(expr), expr).toThrow(ToolError);
      expect(() => evaluateArithmetic(expr), expr).toThrow(message);
    }
  });

  it('formats integers plainly and other values to 12 significant digits', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-7)).toBe('-7');
    expect(formatNumber(1 / 3)).toBe('0.333333333333');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(calculatorTool.run('7/2')).toBe('3.5');
  });
});

describe('toolEnvironment', () => {
  const echo: Tool = { name: 'echo', description: 'repeats its arguments', run: (args) => `echo: ${args}` };
  const broken: Tool = {
    name: 'broken',
    description: 'always fails',
    run: () => {
      throw new ToolError('out of order');
    },
  };
  const env = toolEnvironment({ tools: [calculatorTool, echo, broken], systemPrompt: 'SYSTEM', maxTurns: 4 });
  const row = { prompt: '2+3', answer: '5' };
  const after = (assistant: string): ChatMessage[] => [...env.initialMessages(row), { role: 'assistant', content: assistant }];
  const respond = (assistant: string, state: ToolState = env.initialState(row)) =>
    env.respond({ row, messages: after(assistant), state, turn: 1 });

  it('opens with the system prompt and the row; describeTools teaches the format', () => {
    expect(env.initialMessages(row)).toEqual([
      { role: 'system', content: 'SYSTEM' },
      { role: 'user', content: '2+3' },
    ]);
    const text = describeTools([calculatorTool, echo]);
    expect(text).toContain('<tool>NAME</tool><args>ARGUMENTS</args>');
    expect(text).toContain('calculator: arithmetic with');
    expect(text).toContain('echo: repeats its arguments');
  });

  it('a turn without a tool call is the final answer', async () => {
    const state = env.initialState(row);
    const reply = await respond('<answer>5</answer>', state);
    expect(reply).toEqual({ state, done: true });
  });

  it('runs each call and answers with one tool message per call; counts calls and failures', async () => {
    const reply = await respond(
      '<tool>calculator</tool><args>2+3</args> <tool>echo</tool><args>hi</args> <tool>nope</tool><args>1</args> ' +
        '<tool>broken</tool><args>x</args> <tool>calculator</tool><args>1/0</args>',
    );
    expect(reply.done).toBe(false);
    expect(reply.messages).toEqual([
      { role: 'tool', content: '5' },
      { role: 'tool', content: 'echo: hi' },
      { role: 'tool', content: 'error: unknown tool "nope" (tools: calculator, echo, broken)' },
      { role: 'tool', content: 'error: out of order' },
      { role: 'tool', content: 'error: too many tool calls in one turn (at most 4)' },
    ]);
    expect(reply.toolCalls).toBe(5);
    expect(reply.toolFailures).toBe(3);
    expect(reply.state).toEqual({ toolCalls: 5, toolFailures: 3 });
  });

  it('a tool result that happens to start with "error: " is not a failure; a malformed call is', async () => {
    const reply = await respond('<tool>echo</tool><args>x</args><tool>echo</tool>');
    expect(reply.messages).toEqual([
      { role: 'tool', content: 'echo: x' },
      { role: 'tool', content: 'error: </tool> must be followed by <args>…</args>' },
    ]);
    expect(reply.toolFailures).toBe(1);
  });

  it('returns a new state and leaves the one passed in untouched', async () => {
    const state = { toolCalls: 2, toolFailures: 1 };
    const reply = await respond('<tool>calculator</tool><args>1+1</args>', state);
    expect(reply.state).toEqual({ toolCalls: 3, toolFailures: 1 });
    expect(state).toEqual({ toolCalls: 2, toolFailures: 1 });
    expect(env.initialState(row)).not.toBe(env.initialState(row));
  });

  it('a tool that throws something other than ToolError is a bug and propagates', async () => {
    const buggy = toolEnvironment({
      tools: [{ name: 'bug', description: '', run: () => { throw new TypeError('oops'); } }],
      systemPrompt: '',
      maxTurns: 2,
    });
    const messages: ChatMessage[] = [{ role: 'assistant', content: '<tool>bug</tool><args></args>' }];
    await expect(buggy.respond({ row, messages, state: buggy.initialState(row), turn: 1 })).rejects.toThrow('oops');
    expect(() => toolEnvironment({ tools: [echo, echo], systemPrompt: '', maxTurns: 1 })).toThrow(/duplicate tool/);
  });
});
