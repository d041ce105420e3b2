// The task panel's fields per task: each task's params with the task's own defaults and a short help line.
// The tasks themselves (src/rl/tasks/*) stay the authority: every edit is validated by validateTaskParams
// through the run-config schema, and task-params.test.ts checks these keys and defaults against the tasks.
// own-data's `data` is edited by its own editor (paste/upload with a preview), not here.
import type { TaskName } from '../../rl/tasks/index.ts';
import { CRITERION_KINDS } from '../../rl/rubric/criteria.ts';
import { DEFAULT_OWN_DATA_SYSTEM_PROMPT } from '../../rl/tasks/own-data.ts';

export type TaskParamField =
  | { key: string; type: 'int' | 'number'; default: number; help: string }
  | { key: string; type: 'string'; default: string; help: string; long?: boolean }
  | { key: string; type: 'choice'; default: string; choices: readonly string[]; help: string }
  | { key: string; type: 'boolean'; default: boolean; help: string };

const int = (key: string, def: number, help: string): TaskParamField => ({ key, type: 'int', default: def, help });

export const TASK_PARAM_FIELDS: Readonly<Record<TaskName, readonly TaskParamField[]>> = {
  arithmetic: [
    int('maxOperand', 9, 'Operands are drawn from 0..maxOperand.'),
    { key: 'ops', type: 'string', default: '+', help: 'Operators to use, from "+-*" (e.g. "+-").' },
  ],
  reverse: [
    int('minLength', 3, 'Shortest string to reverse (1-64).'),
    int('maxLength', 6, 'Longest string to reverse (1-64).'),
    { key: 'alphabet', type: 'string', default: 'abcdefghijklmnopqrstuvwxyz', help: 'Distinct lowercase letters the strings use.' },
  ],
  sort: [
    { key: 'items', type: 'choice', default: 'numbers', choices: ['numbers', 'words'], help: 'Sort numbers or words.' },
    int('minItems', 3, 'Fewest items per list (2-20).'),
    int('maxItems', 5, 'Most items per list (2-20).'),
    int('maxValue', 99, 'Numbers are drawn from 0..maxValue (numbers only).'),
    { key: 'descending', type: 'boolean', default: false, help: 'Sort from largest to smallest.' },
  ],
  length: [
    int('minWords', 3, 'Fewest words asked for (1-100).'),
    int('maxWords', 8, 'Most words asked for (1-100).'),
    { key: 'topics', type: 'string', default: '', help: 'Comma-separated topics; empty = the built-in list.', long: true },
  ],
  countdown: [
    int('count', 4, 'Numbers per puzzle (2-6).'),
    int('maxNumber', 20, 'Numbers are drawn from 1..maxNumber.'),
    int('minTarget', 10, 'Smallest target.'),
    int('maxTarget', 100, 'Largest target.'),
  ],
  'own-data': [
    { key: 'format', type: 'choice', default: 'auto', choices: ['auto', 'jsonl', 'csv'], help: 'auto: JSONL when the data starts with "{", else CSV.' },
    { key: 'evalFraction', type: 'number', default: 0.2, help: 'Share of distinct prompts held out for evaluation (0-0.9), unless a split column says.' },
    { key: 'systemPrompt', type: 'string', default: DEFAULT_OWN_DATA_SYSTEM_PROMPT, help: 'The system message the model sees.', long: true },
    {
      key: 'correctness',
      type: 'choice',
      default: 'correct_answer',
      choices: CRITERION_KINDS,
      help: 'The criterion kind whose mean on the held-out rows is eval accuracy.',
    },
  ],
  'guess-number': [int('maxNumber', 50, 'The secret number is in 1..maxNumber.'), int('maxTurns', 6, 'Guesses allowed (1-20).')],
  calculator: [
    int('maxOperand', 99, 'Operands are drawn from 0..maxOperand.'),
    int('terms', 3, 'Numbers per expression (2-4).'),
    { key: 'ops', type: 'string', default: '+-*', help: 'Operators to use, from "+-*".' },
    int('maxTurns', 3, 'Assistant turns allowed (tool calls plus the answer, 1-10).'),
  ],
  'word-game': [
    int('length', 5, 'Word length (4 or 5); code length 3-6.'),
    int('maxTurns', 6, 'Guesses allowed (1-20).'),
    { key: 'letters', type: 'string', default: '', help: 'Empty: the secrets are English words. Distinct letters (e.g. "abcdefg"): every code of distinct letters from them.' },
  ],
};

/** The value a field shows: the config's, else the task's default. */
export function taskParamValue(params: Record<string, unknown>, field: TaskParamField): number | string | boolean {
  const v = params[field.key];
  return v === undefined ? field.default : (v as number | string | boolean);
}
