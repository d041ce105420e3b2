// Safe integer arithmetic for model output such as "(25 - 7) * 3 + 50" (the countdown task). A small
// recursive-descent parser, never eval: non-negative integer literals, binary + - * /, parentheses and spaces,
// nothing else (no unary minus, decimals, exponents or names). Division must be exact and every intermediate
// result a safe integer, as in the TV game. Input is bounded in length and nesting, so the cost is linear and
// the recursion shallow. Grammar:  expr = term (("+" | "-") term)*   term = factor (("*" | "/") factor)*
// factor = number | "(" expr ")".

export const MAX_EXPRESSION_LENGTH = 200;
export const MAX_EXPRESSION_DEPTH = 16;
const MAX_DIGITS = 9;

export type ExpressionResult =
  | { ok: true; value: number; /** the literals in the order written */ numbers: number[] }
  | { ok: false; error: string };

class ExpressionError extends Error {}

type Token = { kind: 'num'; value: number; at: number } | { kind: 'op'; op: '+' | '-' | '*' | '/' | '(' | ')'; at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < text.length && text[j] >= '0' && text[j] <= '9') j++;
      const digits = text.slice(i, j);
      if (digits.length > MAX_DIGITS) throw new ExpressionError(`number at ${i} has more than ${MAX_DIGITS} digits`);
      if (digits.length > 1 && digits[0] === '0') throw new ExpressionError(`number '${digits}' at ${i} has a leading zero`);
      tokens.push({ kind: 'num', value: Number(digits), at: i });
      i = j;
    } else if (c === '+' || c === '-' || c === '*' || c === '/' || c === '(' || c === ')') {
      tokens.push({ kind: 'op', op: c, at: i });
      i++;
    } else {
      throw new ExpressionError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  return tokens;
}

function apply(op: string, a: number, b: number): number {
  let v: number;
  if (op === '/') {
    if (b === 0) throw new ExpressionError('division by zero');
    if (a % b !== 0) throw new ExpressionError(`${a}/${b} is not a whole number`);
    v = a / b;
  } else {
    v = op === '+' ? a + b : op === '-' ? a - b : a * b;
  }
  if (!Number.isSafeInteger(v)) throw new ExpressionError(`intermediate result ${a}${op}${b} is too large`);
  return v === 0 ? 0 : v; // no -0
}

/** Parse and evaluate; never throws. */
export function evaluateExpression(text: string): ExpressionResult {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return { ok: false, error: `expression too long (${text.length} characters, the limit is ${MAX_EXPRESSION_LENGTH})` };
  }
  try {
    const tokens = tokenize(text);
    if (tokens.length === 0) throw new ExpressionError('empty expression');
    const numbers: number[] = [];
    let pos = 0;
    const peekOp = (): string | undefined => {
      const t = tokens[pos];
      return t?.kind === 'op' ? t.op : undefined;
    };
    const where = (): string => (pos < tokens.length ? `at ${tokens[pos].at}` : 'at the end');

    const factor = (depth: number): number => {
      const t = tokens[pos];
      if (t?.kind === 'num') {
        pos++;
        numbers.push(t.value);
        return t.value;
      }
      if (t?.kind === 'op' && t.op === '(') {
        if (depth >= MAX_EXPRESSION_DEPTH) throw new ExpressionError(`parentheses nested more than ${MAX_EXPRESSION_DEPTH} deep`);
        pos++;
        const v = expr(depth + 1);
        if (peekOp() !== ')') throw new ExpressionError(`expected ')' ${where()}`);
        pos++;
        return v;
      }
      throw new ExpressionError(`expected a number or '(' ${where()}`);
    };
    const term = (depth: number): number => {
      let v = factor(depth);
      for (let op = peekOp(); op === '*' || op === '/'; op = peekOp()) {
        pos++;
        v = apply(op, v, factor(depth));
      }
      return v;
    };
    const expr = (depth: number): number => {
      let v = term(depth);
      for (let op = peekOp(); op === '+' || op === '-'; op = peekOp()) {
        pos++;
        v = apply(op, v, term(depth));
      }
      return v;
    };

    const value = expr(0);
    if (pos < tokens.length) throw new ExpressionError(`unexpected ${JSON.stringify(text[tokens[pos].at])} ${where()}`);
    return { ok: true, value, numbers };
  } catch (e) {
    if (e instanceof ExpressionError) return { ok: false, error: e.message };
    throw e;
  }
}
