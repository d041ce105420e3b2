// One criterion in the rubric list: name, kind, weight (0 = logged only), move up/down, remove, and its
// parameters in a collapsible section (open for custom code, whose editor shows live scores).
import { CriterionParams } from './CriterionParams.tsx';
import { NumberField, TextField } from './fields.tsx';
import { kindDescription, type CriterionConfig } from './rubric-edit.ts';
import type { ConfigEdit } from './useConfigEdit.ts';
import type { PreviewState } from './useRubricPreview.ts';

interface Props {
  index: number;
  count: number;
  criterion: CriterionConfig;
  edit: ConfigEdit;
  preview: PreviewState;
  onMove: (index: number, delta: number) => void;
  onRemove: (index: number) => void;
}

export function CriterionItem({ index, count, criterion, edit, preview, onMove, onRemove }: Props) {
  const base = `criterion-${index}`;
  return (
    <li className="criterion" data-testid={`criterion-${criterion.name}`} data-kind={criterion.kind}>
      <div className="criterion-head">
        <span className="criterion-kind" title={kindDescription(criterion.kind)}>
          {criterion.kind}
        </span>
        {criterion.weight === 0 && <span className="badge">log only</span>}
        <span className="criterion-actions">
          <button
            type="button"
            id={`${base}-up`}
            aria-label={`Move ${criterion.name} up`}
            disabled={edit.locked || index === 0}
            onClick={() => onMove(index, -1)}
          >
            ↑
          </button>
          <button
            type="button"
            id={`${base}-down`}
            aria-label={`Move ${criterion.name} down`}
            disabled={edit.locked || index === count - 1}
            onClick={() => onMove(index, 1)}
          >
            ↓
          </button>
          <button
            type="button"
            aria-label={`Remove ${criterion.name}`}
            title={count === 1 ? 'A rubric needs at least one criterion' : undefined}
            disabled={edit.locked || count === 1}
            onClick={() => onRemove(index)}
          >
            ✕
          </button>
        </span>
      </div>
      <div className="criterion-fields">
        <TextField
          id={`${base}-name`}
          label="Name"
          value={criterion.name}
          disabled={edit.locked}
          onCommit={(name) => edit.commit(['rubric', 'criteria', index, 'name'], name)}
        />
        <NumberField
          id={`${base}-weight`}
          label="Weight"
          value={criterion.weight}
          disabled={edit.locked}
          onCommit={(w) => edit.commit(['rubric', 'criteria', index, 'weight'], w)}
        />
      </div>
      <details className="criterion-details" open={criterion.kind === 'custom_code' || criterion.kind === 'llm_judge' || undefined}>
        <summary>Parameters</summary>
        <p className="field-help">{kindDescription(criterion.kind)}</p>
        <CriterionParams index={index} criterion={criterion} edit={edit} preview={preview} />
      </details>
    </li>
  );
}
