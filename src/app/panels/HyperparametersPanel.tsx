// Hyperparameters, grouped (GRPO, Optimiser, Sampling, Run) in collapsible sections so the column fits a
// laptop screen. Each field: a label, the schema's one-line explanation, its bounds, a paper link where the
// idea comes from one, and "reset to default". Values the schema refuses are not committed.
import { formatStopText, parseStopText, valueAt } from './config-edit.ts';
import { CheckboxField, NumberField, SelectField, TextField } from './fields.tsx';
import { fieldId, HYPERPARAMETER_GROUPS, type HyperparameterField } from './hyperparameter-groups.ts';
import { fieldInfo, rangeText } from './schema-fields.ts';
import type { ConfigEdit } from './useConfigEdit.ts';

function HyperparameterInput({ field, edit }: { field: HyperparameterField; edit: ConfigEdit }) {
  const info = fieldInfo(field.path);
  const value = valueAt(edit.config, field.path);
  const common = { id: fieldId(field.path), label: field.label, help: info.description, paper: field.paper, disabled: edit.locked };
  const commit = (v: unknown) => edit.commit(field.path, v);
  switch (info.type) {
    case 'number':
      return (
        <NumberField
          {...common}
          value={value as number}
          defaultValue={info.default as number}
          integer={info.integer}
          range={rangeText(info)}
          onCommit={commit}
        />
      );
    case 'enum':
      return <SelectField {...common} value={value as string} defaultValue={info.default as string} options={info.options ?? []} onCommit={commit} />;
    case 'boolean':
      return <CheckboxField {...common} value={value as boolean} defaultValue={info.default as boolean} onCommit={commit} />;
    case 'array':
      // Stop strings: one comma-separated line ("\n" for a newline).
      return (
        <TextField
          {...common}
          help={`${info.description} Comma-separated; \\n for a newline.`}
          value={formatStopText(value as string[])}
          defaultValue={formatStopText(info.default as string[])}
          placeholder="none"
          sameValue={(text, v) => formatStopText(parseStopText(text)) === v}
          onCommit={(text) => commit(parseStopText(text))}
        />
      );
    default:
      return null;
  }
}

export function HyperparametersPanel({ edit }: { edit: ConfigEdit }) {
  return (
    <section className="panel config-panel" aria-labelledby="hyperparameters-heading" data-testid="hyperparameters-panel">
      <h2 id="hyperparameters-heading">Hyperparameters</h2>
      {HYPERPARAMETER_GROUPS.map((group) => (
        <details key={group.id} className="hp-group" data-group={group.id}>
          <summary>{group.title}</summary>
          <div className="hp-fields">
            {group.fields.map((field) => (
              <HyperparameterInput key={field.path.join('.')} field={field} edit={edit} />
            ))}
          </div>
        </details>
      ))}
    </section>
  );
}
