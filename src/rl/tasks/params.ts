// Readers for task params (task.params in the run config) with one clear TaskError per problem, named after
// the task: "reverse: maxLength must be an integer from 1 to 64, got 100".

import { TaskError, type TaskParams } from './types.ts';

export class ParamReader {
  constructor(
    readonly task: string,
    readonly params: TaskParams,
    known: readonly string[],
  ) {
    for (const key of Object.keys(params)) {
      if (!known.includes(key)) throw this.error(`unknown param '${key}' (known: ${known.join(', ')})`);
    }
  }

  error(message: string): TaskError {
    return new TaskError(`${this.task}: ${message}`);
  }

  int(key: string, def: number, min: number, max: number): number {
    const v = this.params[key] ?? def;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw this.error(`${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  number(key: string, def: number, min: number, max: number): number {
    const v = this.params[key] ?? def;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      throw this.error(`${key} must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    }
    return v;
  }

  string(key: string, def: string, maxLength: number): string {
    const v = this.params[key] ?? def;
    if (typeof v !== 'string') throw this.error(`${key} must be a string, got ${JSON.stringify(v)}`);
    if (v.length > maxLength) throw this.error(`${key} must be at most ${maxLength} characters, got ${v.length}`);
    return v;
  }

  oneOf<T extends string>(key: string, def: T, choices: readonly T[]): T {
    const v = this.params[key] ?? def;
    if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
      throw this.error(`${key} must be one of ${choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(v)}`);
    }
    return v as T;
  }

  bool(key: string, def: boolean): boolean {
    const v = this.params[key] ?? def;
    if (typeof v !== 'boolean') throw this.error(`${key} must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  /** Checks lo <= hi for a pair of params read earlier. */
  range(loKey: string, lo: number, hiKey: string, hi: number): void {
    if (lo > hi) throw this.error(`${loKey} (${lo}) must be <= ${hiKey} (${hi})`);
  }
}
