// Whether the rubric's custom code compiles, before Train: each custom_code criterion is compiled by the same
// QuickJS sandbox that scores it in training (rl/rubric/sandbox.ts checkCustomCode, which says the line), and
// the column is found with CodeMirror's JavaScript parser (the first syntax error on that line), so the page can
// put the cursor where the mistake is. Code that does not compile blocks Train (StartGuard).
import { javascriptLanguage } from '@codemirror/lang-javascript';
import type { RunConfig } from '../../rl/config/schema.ts';
import { checkCustomCode } from '../../rl/rubric/sandbox.ts';

export interface CodeProblem {
  /** Index of the criterion in the rubric (its editor is criterion-<index>-code). */
  index: number;
  name: string;
  /** The sandbox's message, e.g. "does not compile: SyntaxError: expecting ')' (line 3)". */
  message: string;
  /** 1-based line and column in the user's code, where known. */
  line?: number;
  column?: number;
}

/** 1-based line and column of offset `pos` in `text`. */
function lineColumn(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, column: pos - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * Where the syntax error is: the line the sandbox names ("(line 3)"; "(at the end of the code)" is the last
 * line), and the column of the parser's first error on that line (none when the parser sees none there).
 */
export function locateProblem(code: string, message: string): { line?: number; column?: number } {
  const lines = code.split('\n');
  const named = /\(line (\d+)\)/.exec(message);
  const line = named ? Number(named[1]) : /at the end of the code/.test(message) ? lines.length : undefined;
  if (line === undefined) return {};
  // The code may be a function body (a top-level `return`), which the parser accepts as a script.
  const tree = javascriptLanguage.parser.parse(code);
  let column: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (column !== undefined) return false;
      if (!node.type.isError) return undefined;
      const at = lineColumn(code, node.from);
      if (at.line === line) column = at.column;
      return undefined;
    },
  });
  return column === undefined ? { line } : { line, column };
}

/**
 * Custom code criteria whose code does not compile to a function, in rubric order (empty when all do). A check
 * that runs out of time or memory is not a problem here: scoring reports it.
 */
export async function checkRubricCode(config: RunConfig): Promise<CodeProblem[]> {
  const out: CodeProblem[] = [];
  const criteria = config.rubric.criteria;
  for (let index = 0; index < criteria.length; index++) {
    const c = criteria[index];
    if (c.kind !== 'custom_code') continue;
    const code = String(c.params.code ?? '');
    const problem = await checkCustomCode(code);
    if (problem !== null) out.push({ index, name: c.name, message: problem, ...locateProblem(code, problem) });
  }
  return out;
}
