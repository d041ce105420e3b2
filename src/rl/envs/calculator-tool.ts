// The calculator tool: evaluates arithmetic over decimal numbers with + - * /, unary signs and parentheses, by
// a recursive-descent parser (never eval). The expression comes from model output, so everything is bounded:
// length, nesting depth, digits per number, and the result's magnitude. Failures are ToolErrors the model reads.

import { ToolError, type Tool } from './tool-env.ts';

const MAX_LENGTH = 200;
const MAX_DEPTH = 32;
const MAX_DIGITS = 15;
const MAX_MAGNITUDE = 1e15;

/** The value of `expr`; throws ToolError naming the problem (and its position, 1-based). */
export function evaluateArithmetic(expr: string): number {
  if (expr.length === 0) throw new ToolError('empty expression');
  if (expr.length > MAX_LENGTH) throw new ToolError(`expression too long (${expr.length} characters, at most ${MAX_LENGTH})`);
  let i = 0;
  const peek = (): string => {
    while (i < expr.length && (expr[i] === ' ' || expr[i] === '\t' || expr[i] === '\n')) i++;
    return i < expr.length ? expr[i] : '';
  };
  const fail = (what: string): never => {
    const c = i < expr.length ? JSON.stringify(expr[i]) : 'end';
    throw new ToolError(`${what} at ${c === 'end' ? 'the end' : `${c} (position ${i + 1})`}`);
  };
  const checked = (v: number): number => {
    if (!Number.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE) throw new ToolError('result too large');
    return v;
  };
  const number = (): number => {
    const start = i;
    let digits = 0;
    for (; i < expr.length && expr[i] >= '0' && expr[i] <= '9'; i++) digits++;
    if (expr[i] === '.') {
      i++;
      for (; i < expr.length && expr[i] >= '0' && expr[i] <= '9'; i++) digits++;
    }
    if (digits === 0) {
      i = start;
      fail('expected a number');
    }
    if (digits > MAX_DIGITS) throw new ToolError(`number too long (at most ${MAX_DIGITS} digits)`);
    return Number(expr.slice(start, i));
  };
  const factor = (depth: number): number => {
    if (depth > MAX_DEPTH) throw new ToolError(`expression nested too deeply (at most ${MAX_DEPTH} levels)`);
    const c = peek();
    if (c === '+' || c === '-') {
      i++;
      const v = factor(depth + 1);
      return c === '-' ? -v : v;
    }
    if (c === '(') {
      i++;
      const v = sum(depth + 1);
      if (peek() !== ')') fail("expected ')'");
      i++;
      return v;
    }
    return number();
  };
  const product = (depth: number): number => {
    let v = factor(depth);
    for (let c = peek(); c === '*' || c === '/'; c = peek()) {
      i++;
      const w = factor(depth);
      if (c === '/' && w === 0) throw new ToolError('division by zero');
      v = checked(c === '*' ? v * w : v / w);
    }
    return v;
  };
  const sum = (depth: number): number => {
    let v = product(depth);
    for (let c = peek(); c === '+' || c === '-'; c = peek()) {
      i++;
      const w = product(depth);
      v = checked(c === '+' ? v + w : v - w);
    }
    return v;
  };
  const value = sum(0);
  if (peek() !== '') fail('unexpected character');
  return checked(value) === 0 ? 0 : value; // no "-0"
}

/** Integers as they are; other values to 12 significant digits without trailing zeros ("0.333333333333"). */
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

export const calculatorTool: Tool = {
  name: 'calculator',
  description: 'arithmetic with + - * / and parentheses',
  run: (args) => formatNumber(evaluateArithmetic(args)),
};
