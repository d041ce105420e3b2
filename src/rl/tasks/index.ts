// Task registry: every task name the run config accepts, and `createTask` to build one from its params.

import { createArithmeticTask, parseArithmeticParams } from './arithmetic.ts';
import { TaskError, type Task, type TaskParams } from './types.ts';

export type { Task, TaskRow, TaskParams } from './types.ts';
export { TaskError } from './types.ts';

/** Task names accepted by the run config's `task.name`. */
export const TASK_NAMES = ['arithmetic'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

interface TaskFactory {
  /** Cheap check of the params (no row generation); throws TaskError. */
  validate(params: TaskParams): void;
  create(params: TaskParams): Task;
}

const FACTORIES: Record<TaskName, TaskFactory> = {
  arithmetic: { validate: parseArithmeticParams, create: createArithmeticTask },
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
