// The left column's config panels: Model, Task, Rubric, Hyperparameters, each hideable by a classroom link.
// They edit the store's one RunConfig through useConfigEdit (schema-validated commits; locked during a run),
// and end with the committed config as JSON, so what Train will use is always visible.
import { nonDefaultValues } from '../../rl/config/schema.ts';
import { useHidden } from '../classroom.ts';
import { HyperparametersPanel } from './HyperparametersPanel.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { RubricPanel } from './RubricPanel.tsx';
import { TaskPanel } from './TaskPanel.tsx';
import { LOCKED_MESSAGE, useConfigEdit } from './useConfigEdit.ts';
import './panels.css';

function CommittedConfig({ config }: { config: ReturnType<typeof useConfigEdit>['config'] }) {
  return (
    <details className="panel committed-config">
      <summary>Run config (JSON, non-default values)</summary>
      <pre className="text-block" data-testid="committed-config">
        {JSON.stringify(nonDefaultValues(config), null, 2)}
      </pre>
    </details>
  );
}

export function ConfigPanels() {
  const edit = useConfigEdit();
  const hidden = {
    model: useHidden('model'),
    task: useHidden('task'),
    rubric: useHidden('rubric'),
    hyperparameters: useHidden('hyperparameters'),
    customCode: useHidden('customCode'),
  };
  // The JSON would show what a classroom link hides (the rubric, custom code), so it goes with them.
  const anyHidden = Object.values(hidden).some(Boolean);
  return (
    <div className="config-panels" data-locked={edit.locked}>
      {edit.locked && (
        <p className="locked-note" aria-live="polite">
          {LOCKED_MESSAGE}
        </p>
      )}
      {!hidden.model && <ModelPanel edit={edit} />}
      {!hidden.task && <TaskPanel edit={edit} />}
      {!hidden.rubric && <RubricPanel edit={edit} />}
      {!hidden.hyperparameters && <HyperparametersPanel edit={edit} />}
      {!anyHidden && <CommittedConfig config={edit.config} />}
    </div>
  );
}
