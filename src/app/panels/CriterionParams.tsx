// The parameter inputs of one criterion, built from its kind's declared params (type, bounds, choices,
// default). custom_code's `code` gets the code editor with its live scores; llm_judge adds the API key field.
import { useState } from 'react';
import { useHidden } from '../classroom.ts';
import { UNSET, type ConfigPath } from './config-edit.ts';
import { CodeEditor } from './CodeEditor.tsx';
import { CheckboxField, NumberField, SelectField, TextField } from './fields.tsx';
import { JudgeKeyField } from './JudgeKeyField.tsx';
import { LiveScores } from './LiveScores.tsx';
import { isAdvancedParam, isLongText, kindParams, paramRange, paramValue, type CriterionConfig } from './rubric-edit.ts';
import type { ParamSpec } from '../../rl/rubric/types.ts';
import type { ConfigEdit } from './useConfigEdit.ts';
import type { PreviewState } from './useRubricPreview.ts';

interface Props {
  index: number;
  criterion: CriterionConfig;
  edit: ConfigEdit;
  preview: PreviewState;
}

function CodeParam({ index, criterion, edit, preview }: Props) {
  const [error, setError] = useState<string | null>(null);
  const hidden = useHidden('customCode');
  const id = `criterion-${index}-code`;
  const code = String(paramValue(criterion.params, 'code', kindParams('custom_code').find(([k]) => k === 'code')![1]));
  if (hidden) return <p className="field-help">This criterion's code is hidden in this classroom link.</p>;
  return (
    <div className="field field-stacked code-field">
      <div className="field-row">
        <span className="field-label">Code</span>
      </div>
      <CodeEditor
        id={id}
        label={`Code of criterion ${criterion.name}`}
        value={code}
        disabled={edit.locked}
        invalid={error !== null}
        describedBy={`${id}-help${error ? ` ${id}-error` : ''}`}
        onChange={(text) => setError(edit.commit(['rubric', 'criteria', index, 'params', 'code'], text))}
      />
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      <p className="field-help" id={`${id}-help`}>
        A function body using <code>prompt</code>, <code>completion</code>, <code>answer</code>, <code>messages</code>,{' '}
        <code>state</code> that returns a number, or a function expression. Runs sandboxed (QuickJS) with a time limit.
        Tab leaves the editor; indent with spaces.
      </p>
      <LiveScores name={criterion.name} preview={preview} />
    </div>
  );
}

function ParamInput({ index, criterion, edit, name, spec }: Props & { name: string; spec: ParamSpec }) {
  const path: ConfigPath = ['rubric', 'criteria', index, 'params', name];
  const common = {
    id: `criterion-${index}-${name}`,
    label: name,
    help: spec.description,
    disabled: edit.locked,
    // Reset removes the key: the kind's default applies.
    onReset: () => void edit.commit(path, UNSET),
    canReset: Object.hasOwn(criterion.params, name),
  };
  const commit = (v: unknown) => edit.commit(path, v);
  const value = paramValue(criterion.params, name, spec);
  if (spec.type === 'number') return <NumberField {...common} value={value as number} integer={spec.integer} range={paramRange(spec)} onCommit={commit} />;
  if (spec.type === 'boolean') return <CheckboxField {...common} value={value as boolean} onCommit={commit} />;
  if (spec.choices) return <SelectField {...common} value={value as string} options={spec.choices} onCommit={commit} />;
  return <TextField {...common} value={value as string} rows={isLongText(name, spec) ? 5 : undefined} onCommit={commit} />;
}

export function CriterionParams(props: Props) {
  const { index, criterion } = props;
  const params = kindParams(criterion.kind);
  if (params.length === 0) return <p className="field-help">No parameters.</p>;
  const render = ([name, spec]: [string, ParamSpec]) =>
    criterion.kind === 'custom_code' && name === 'code' ? <CodeParam key={name} {...props} /> : <ParamInput key={name} {...props} name={name} spec={spec} />;
  const advanced = params.filter(([name]) => isAdvancedParam(criterion.kind, name));
  return (
    <div className="criterion-params">
      {params.filter(([name]) => !isAdvancedParam(criterion.kind, name)).map(render)}
      {criterion.kind === 'llm_judge' && <JudgeKeyField id={`criterion-${index}-apikey`} />}
      {advanced.length > 0 && (
        <details className="advanced-params">
          <summary>Limits{criterion.kind === 'llm_judge' ? ' and retries' : ''}</summary>
          {advanced.map(render)}
        </details>
      )}
    </div>
  );
}
