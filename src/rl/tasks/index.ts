// Task registry: every task name the run config accepts, and `createTask` to build one from its params.

import { createArithmeticTask, parseArithmeticParams } from './arithmetic.ts';
import { createCalculatorTask, parseCalculatorParams } from './calculator.ts';
import { createCountdownTask, parseCountdownParams } from './countdown.ts';
import { createGuessNumberTask, parseGuessNumberParams } from './guess-number.ts';
import { createLengthTask, parseLengthParams } from './length.ts';
import { createOwnDataTask, parseOwnDataParams } from './own-data.ts';
import { createReverseTask, parseReverseParams } from './reverse.ts';
import { createSortTask, parseSortParams } from './sort.ts';
import { TaskError, type Task, type TaskParams } from './types.ts';
import { createWordGameTask, parseWordGameParams } from './word-game.ts';

export type { Task, TaskRow, TaskParams } from './types.ts';
export { TaskError } from './types.ts';
export { MAX_DATA_CHARS } from './data/dataset.ts';

/** Task names accepted by the run config's `task.name`. */
export const TASK_NAMES = ['arithmetic', 'reverse', 'sort', 'length', 'countdown', 'own-data', 'guess-number', 'calculator', 'word-game'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

interface TaskFactory {
  /** Check of the params without building the task (own-data parses its data); throws TaskError. */
  validate(params: TaskParams): void;
  create(params: TaskParams): Task;
}

const FACTORIES: Record<TaskName, TaskFactory> = {
  arithmetic: { validate: parseArithmeticParams, create: createArithmeticTask },
  reverse: { validate: parseReverseParams, create: createReverseTask },
  sort: { validate: parseSortParams, create: createSortTask },
  length: { validate: parseLengthParams, create: createLengthTask },
  countdown: { validate: parseCountdownParams, create: createCountdownTask },
  'own-data': { validate: parseOwnDataParams, create: createOwnDataTask },
  'guess-number': { validate: parseGuessNumberParams, create: createGuessNumberTask },
  calculator: { validate: parseCalculatorParams, create: createCalculatorTask },
  'word-game': { validate: parseWordGameParams, create: createWordGameTask },
};

function factory(name: string): TaskFactory {
  if (!Object.hasOwn(FACTORIES, name)) {
    throw new TaskError(`unknown task '${name}' (known: ${TASK_NAMES.join(', ')})`);
  }
  return FACTORIES[name as TaskName];
}

/** Throws TaskError naming the problem for an unknown name or invalid params, without building the task. */
export function validateTaskParams(name: string, params: TaskParams = {}): void {
  factory(name).validate(params);
}

/** Build a task; throws TaskError naming the problem for an unknown name or invalid params. */
export function createTask(name: string, params: TaskParams = {}): Task {
  return factory(name).create(params);
}
