// The task panel: a preset picker (loads a whole run config), the task and its parameters, the eval-set size,
// and for own-data the data editor. Changing the task starts from that task's preset params, since one task's
// params mean nothing to another.
import { useState } from 'react';
import { getPreset, PRESET_DESCRIPTIONS, PRESET_NAMES, PRESETS } from '../../rl/presets.ts';
import { TASK_NAMES } from '../../rl/tasks/index.ts';
import { UNSET } from './config-edit.ts';
import { CheckboxField, NumberField, SelectField, TextField } from './fields.tsx';
import { OwnDataEditor } from './OwnDataEditor.tsx';
import { fieldInfo, rangeText } from './schema-fields.ts';
import { TASK_PARAM_FIELDS, taskParamValue, type TaskParamField } from './task-params.ts';
import type { ConfigEdit } from './useConfigEdit.ts';

/** The params a task starts with when picked: its preset's, else none (the task's defaults). */
export function startingParams(task: string): Record<string, number | string | boolean> {
  const preset = Object.values(PRESETS).find((p) => p.task.name === task);
  return preset ? structuredClone(preset.task.params) : {};
}

function PresetPicker({ edit }: { edit: ConfigEdit }) {
  const [choice, setChoice] = useState(PRESET_NAMES[0]);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="preset-picker">
      <div className="field-row">
        <label htmlFor="preset-select">Preset</label>
        <select id="preset-select" value={choice} disabled={edit.locked} onChange={(e) => setChoice(e.target.value)} aria-describedby="preset-help">
          {PRESET_NAMES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <button type="button" disabled={edit.locked} onClick={() => setError(edit.replace(getPreset(choice)))}>
          Load
        </button>
      </div>
      <p className="field-help" id="preset-help">
        {PRESET_DESCRIPTIONS[choice]} Loading replaces the whole config (task, rubric, hyperparameters).
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function TaskParamInput({ field, edit }: { field: TaskParamField; edit: ConfigEdit }) {
  const params = edit.config.task.params;
  const path = ['task', 'params', field.key];
  const present = Object.hasOwn(params, field.key);
  // Reset removes the key, so the task's own default applies.
  const reset = () => void edit.commit(path, UNSET);
  const common = { id: `task-param-${field.key}`, label: field.key, help: field.help, disabled: edit.locked, onReset: reset, canReset: present };
  const commit = (v: unknown) => edit.commit(path, v);
  const value = taskParamValue(params, field);
  switch (field.type) {
    case 'int':
    case 'number':
      return (
        <NumberField
          {...common}
          value={value as number}
          integer={field.type === 'int'}
          onCommit={commit}
        />
      );
    case 'choice':
      return <SelectField {...common} value={value as string} options={field.choices} onCommit={commit} />;
    case 'boolean':
      return <CheckboxField {...common} value={value as boolean} onCommit={commit} />;
    case 'string':
      return (
        <TextField
          {...common}
          value={value as string}
          rows={field.long ? 2 : undefined}
          placeholder={field.default === '' ? 'default' : undefined}
          // An empty optional text (default '') means "use the task's default", so the key is removed.
          onCommit={(text) => commit(text === '' && field.default === '' ? UNSET : text)}
        />
      );
  }
}

export function TaskPanel({ edit }: { edit: ConfigEdit }) {
  const task = edit.config.task;
  const [taskError, setTaskError] = useState<string | null>(null);
  const evalInfo = fieldInfo(['task', 'evalSize']);
  const pickTask = (name: string) => {
    const next = { ...edit.config, task: { ...task, name: name as typeof task.name, params: startingParams(name) } };
    setTaskError(edit.replace(next));
  };
  return (
    <section className="panel config-panel" aria-labelledby="task-heading" data-testid="task-panel" data-committed={task.name}>
      <h2 id="task-heading">Task</h2>
      <PresetPicker edit={edit} />
      <SelectField
        id="task-name"
        label="Task"
        value={task.name}
        options={TASK_NAMES}
        help={fieldInfo(['task', 'name']).description}
        disabled={edit.locked}
        onCommit={(name) => {
          pickTask(name);
          return null;
        }}
      />
      {taskError && (
        <p className="field-error" role="alert">
          {taskError}
        </p>
      )}
      <div className="task-params" key={task.name}>
        {TASK_PARAM_FIELDS[task.name].map((field) => (
          <TaskParamInput key={field.key} field={field} edit={edit} />
        ))}
      </div>
      <NumberField
        id="task-evalSize"
        label="Eval size"
        value={task.evalSize}
        integer
        range={rangeText(evalInfo)}
        help={evalInfo.description}
        defaultValue={evalInfo.default as number}
        disabled={edit.locked}
        onCommit={(v) => edit.commit(['task', 'evalSize'], v)}
      />
      {task.name === 'own-data' && <OwnDataEditor edit={edit} />}
    </section>
  );
}
