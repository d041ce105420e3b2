import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, evaluateExpression } from './expression.ts';

const value = (text: string) => {
  const r = evaluateExpression(text);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const error = (text: string) => {
  const r = evaluateExpression(text);
  return r.ok ? `ok ${r.value}` : r.error;
};

describe('evaluateExpression', () => {
  it('precedence, associativity, parentheses, spaces', () => {
    expect(value('2+3*4')).toBe(14);
    expect(value('(2+3)*4')).toBe(20);
    expect(value('10-4-3')).toBe(3);
    expect(value('100/10/5')).toBe(2);
    expect(value('8/4*2')).toBe(4);
    expect(value(' ( 25 - 7 ) * 3 + 50 ')).toBe(104);
    expect(value('((7))')).toBe(7);
    expect(value('3-5')).toBe(-2);
    expect(value('0')).toBe(0);
    expect(value('5-5')).toBe(0);
    expect(Object.is(value('0*5-0'), 0)).toBe(true);
  });

  it('lists the literals in order', () => {
    expect(evaluateExpression('(50-25)*3+7')).toEqual({ ok: true, value: 82, numbers: [50, 25, 3, 7] });
  });

  it('division: exact only, never by zero', () => {
    expect(error('7/2')).toBe('7/2 is not a whole number');
    expect(error('(1+1)/(2-2)')).toBe('division by zero');
    expect(error('0/0')).toBe('division by zero');
    expect(value('0/3')).toBe(0);
  });

  it('rejects everything but integers, + - * / ( ) and spaces', () => {
    expect(error('')).toBe('empty expression');
    expect(error('   ')).toBe('empty expression');
    expect(error('-3+5')).toBe("expected a number or '(' at 0");
    expect(error('3*-2')).toBe("expected a number or '(' at 2");
    expect(error('2.5*2')).toBe('unexpected character "." at 1');
    expect(error('2**3')).toBe("expected a number or '(' at 2");
    expect(error('2^3')).toBe('unexpected character "^" at 1');
    expect(error('Math.max(1,2)')).toBe('unexpected character "M" at 0');
    expect(error('alert(1)')).toMatch(/unexpected character "a"/);
    expect(error('1e3')).toMatch(/unexpected character "e"/);
    expect(error('0x10')).toMatch(/unexpected character "x"/);
    expect(error('3 × 4')).toMatch(/unexpected character "×"/);
    expect(error('3\n+4')).toMatch(/unexpected character "\\n"/);
    expect(error('(1+2')).toBe("expected ')' at the end");
    expect(error('1+2)')).toBe('unexpected ")" at 3');
    expect(error('1 2')).toBe('unexpected "2" at 2');
    expect(error('()')).toBe("expected a number or '(' at 1");
    expect(error('1+')).toBe("expected a number or '(' at the end");
    expect(error('07+1')).toBe("number '07' at 0 has a leading zero");
    expect(error('1234567890')).toBe('number at 0 has more than 9 digits');
  });

  it('bounded: long inputs, deep nesting and huge intermediates are refused quickly', () => {
    const long = '1+'.repeat(5000) + '1';
    const t0 = performance.now();
    expect(error(long)).toBe(`expression too long (${long.length} characters, the limit is ${MAX_EXPRESSION_LENGTH})`);
    expect(error('1+'.repeat(99) + '1')).toBe('ok 100');
    const deep = (d: number) => '('.repeat(d) + '1' + ')'.repeat(d);
    expect(value(deep(MAX_EXPRESSION_DEPTH))).toBe(1);
    expect(error(deep(MAX_EXPRESSION_DEPTH + 1))).toBe(`parentheses nested more than ${MAX_EXPRESSION_DEPTH} deep`);
    expect(error('('.repeat(150))).toMatch(/nested more than/);
    expect(error('999999999*999999999')).toMatch(/too large/);
    expect(performance.now() - t0).toBeLessThan(100);
  });
});
