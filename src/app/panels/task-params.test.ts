import { describe, expect, it } from 'vitest';
import { createTask, TASK_NAMES, validateTaskParams } from '../../rl/tasks/index.ts';
import { getPreset } from '../../rl/presets.ts';
import { startingParams } from './TaskPanel.tsx';
import { TASK_PARAM_FIELDS, taskParamValue } from './task-params.ts';

/** What a task does, as far as a param's default can change it. */
function fingerprint(name: string, params: Record<string, number | string | boolean>) {
  const task = createTask(name, params);
  return JSON.stringify([task.description, task.systemPrompt, task.evalRows(4), task.trainRow(7, 3)]);
}

describe('task param fields', () => {
  it.each(TASK_NAMES.map((n) => [n]))('%s: every field is a known param and its default is the task default', (name) => {
    const base: Record<string, string> = name === 'own-data' ? { data: String(getPreset('own-data').task.params.data) } : {};
    const plain = fingerprint(name, base);
    for (const field of TASK_PARAM_FIELDS[name]) {
      if (field.type === 'string' && field.default === '') continue; // '' stands for "absent" (length topics)
      const params = { ...base, [field.key]: field.default };
      expect(() => validateTaskParams(name, params), field.key).not.toThrow();
      expect(fingerprint(name, params), `${name}.${field.key} default`).toBe(plain);
    }
  });

  it('a value that is not set shows the default', () => {
    const field = TASK_PARAM_FIELDS.arithmetic[0];
    expect(taskParamValue({}, field)).toBe(9);
    expect(taskParamValue({ maxOperand: 20 }, field)).toBe(20);
  });

  it('a new task starts from its preset params, which are valid', () => {
    expect(startingParams('reverse')).toEqual({ minLength: 3, maxLength: 5 });
    expect(String(startingParams('own-data').data)).toMatch(/^prompt,answer/);
    for (const name of TASK_NAMES) expect(() => validateTaskParams(name, startingParams(name)), name).not.toThrow();
  });
});
