// What a task is: a named, seeded source of rows (prompt + reference answer) plus a fixed held-out set.

/** One problem. `answer` is the reference the rubric compares against; `info` carries task-specific data. */
export interface TaskRow {
  prompt: string;
  answer: string;
  info?: Record<string, unknown>;
}

export interface Task {
  name: string;
  /** One line for people, reflecting the params (e.g. "a+b with 0 <= a, b <= 9"). */
  description: string;
  /** The system message the model sees (how to format the answer). */
  systemPrompt: string;
  /** Name (and kind) of the rubric criterion that defines correctness: eval/accuracy is its mean. */
  correctnessCriterion: string;
  /** Training row `index` for run seed `seed`: a pure function of (seed, index). */
  trainRow(seed: number, index: number): TaskRow;
  /**
   * The first n rows of the fixed held-out set: independent of the run seed, disjoint from training rows by
   * construction where the task says so (see each task), and a prefix of evalRows(m) for m > n. May return
   * fewer than n rows when the held-out set is smaller.
   */
  evalRows(n: number): TaskRow[];
}

/** Task parameters as they appear in the run config (task.params). */
export type TaskParams = Record<string, number | string | boolean>;

export class TaskError extends Error {
  override name = 'TaskError';
}
