import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../../rl/config/schema.ts';
import { checkRubricCode, locateProblem } from './code-check.ts';

const withCode = (...codes: string[]) => {
  const c = defaultRunConfig();
  c.rubric.criteria = [
    { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
    ...codes.map((code, i) => ({ name: `code_${i}`, kind: 'custom_code' as const, weight: 1, params: { code } })),
  ];
  return c;
};

describe('custom code check before Train', () => {
  it('code that compiles (a body or a function expression) is no problem', async () => {
    expect(await checkRubricCode(withCode('return completion.includes(answer) ? 1 : 0', '(p, c) => c.length'))).toEqual([]);
  });

  it('a syntax error names the criterion, its index, the sandbox message and the line and column the user typed', async () => {
    // line 3, "return (x;": the parser's error sits at the ';' (column 10)
    const problems = await checkRubricCode(withCode('return 1', 'const x = 1;\n\nreturn (x;'));
    expect(problems).toEqual([{ index: 2, name: 'code_1', message: "does not compile: SyntaxError: expecting ')' (line 3)", line: 3, column: 10 }]);
  });

  it('an error on line 2 of a two-line body: line 2, the column of the stray token', async () => {
    const [p] = await checkRubricCode(withCode('const x = 1;\nreturn x +* 2;'));
    expect(p.message).toMatch(/does not compile: SyntaxError: .*\(line 2\)/);
    expect(p).toMatchObject({ line: 2, column: 11 }); // "return x +" is 10 characters: the '*' is column 11
  });

  it('"at the end of the code" is the last line', () => {
    expect(locateProblem('(p, c) => {\n  return c.length\n', "does not compile: SyntaxError: expecting ';' (at the end of the code)").line).toBe(3);
    expect(locateProblem('x', 'is neither a function nor a function body')).toEqual({});
  });
});
