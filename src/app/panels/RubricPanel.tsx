// The rubric panel: the criteria list (add a kind, remove, reorder with keyboard-operable buttons, weight,
// name, params), custom code with live scores, judge settings, the preview table of every criterion on
// sample completions, weights fitted to the person's ratings (WeightFit) and the rubric assistant. Scoring runs
// in the preview worker, never on this thread.
import { useEffect, useMemo, useState } from 'react';
import type { CriterionKindName } from '../../rl/rubric/criteria.ts';
import { useHidden } from '../classroom.ts';
import { currentRun, useStore, type PlaygroundState } from '../store.ts';
import { CriterionItem } from './CriterionItem.tsx';
import { defaultSamples, samplesFromRun, type PreviewSamples } from './preview-samples.ts';
import { addCriterion, CRITERION_KINDS, kindDescription, moveCriterion, removeCriterion } from './rubric-edit.ts';
import { RubricAssistant } from './RubricAssistant.tsx';
import { RubricPreview } from './RubricPreview.tsx';
import { SamplesEditor } from './SamplesEditor.tsx';
import type { ConfigEdit } from './useConfigEdit.ts';
import { useRubricPreview } from './useRubricPreview.ts';
import { WeightFit } from './WeightFit.tsx';

/** The current run's latest first group, except while it trains (then null: the panel is left alone). */
const selectIdleRunGroup = (s: PlaygroundState) => (s.status === 'training' ? null : (currentRun(s)?.rollouts.at(-1)?.groups[0] ?? null));

/**
 * The latest step's first group of the current run, as preview samples input; null before any rollouts.
 * It follows the run when it pauses or ends, not while it trains: each new group re-renders this panel and
 * re-scores the preview, which several times a second kept the page's main thread busy.
 */
function useLatestRunGroup() {
  const latest = useStore(selectIdleRunGroup);
  const [group, setGroup] = useState(latest);
  if (latest !== null && latest !== group) setGroup(latest);
  return useMemo(() => (group ? { prompt: group.prompt, answer: group.answer, completions: group.completions.map((c) => c.text) } : null), [group]);
}

function AddCriterion({ edit, onAdded }: { edit: ConfigEdit; onAdded: (index: number) => void }) {
  const customHidden = useHidden('customCode');
  const kinds = CRITERION_KINDS.filter((k) => !(customHidden && k === 'custom_code'));
  const [kind, setKind] = useState<CriterionKindName>(kinds.includes('custom_code') ? 'custom_code' : kinds[0]);
  const [error, setError] = useState<string | null>(null);
  const add = () => {
    const criteria = addCriterion(edit.config.rubric.criteria, kind);
    const problem = edit.replace({ ...edit.config, rubric: { criteria } });
    setError(problem);
    if (!problem) onAdded(criteria.length - 1);
  };
  return (
    <div className="add-criterion">
      <div className="field-row">
        <label htmlFor="add-criterion-kind">New criterion</label>
        <select
          id="add-criterion-kind"
          value={kind}
          disabled={edit.locked}
          aria-describedby="add-criterion-help"
          onChange={(e) => setKind(e.target.value as CriterionKindName)}
        >
          {kinds.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <button type="button" disabled={edit.locked} onClick={add}>
          Add
        </button>
      </div>
      <p className="field-help" id="add-criterion-help">
        {kindDescription(kind)}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

export function RubricPanel({ edit }: { edit: ConfigEdit }) {
  const criteria = edit.config.rubric.criteria;
  const examples = useMemo(() => defaultSamples({ task: edit.config.task, seed: edit.config.seed }), [edit.config.task, edit.config.seed]);
  const runGroup = useLatestRunGroup();
  // The samples: the latest run's completions when there are any ('auto'), else the task's examples; once
  // the user edits them, their own list.
  const [source, setSource] = useState<'auto' | 'examples' | PreviewSamples>('auto');
  const samples = useMemo(() => {
    if (typeof source === 'object') return source;
    return source === 'auto' && runGroup ? samplesFromRun(runGroup, examples) : examples;
  }, [source, runGroup, examples]);
  const [callJudge, setCallJudge] = useState(false);
  const preview = useRubricPreview(criteria, samples, callJudge, edit.config.sampling.maxNewTokens);
  const hasJudge = criteria.some((c) => c.kind === 'llm_judge');

  // Keyboard reorder: focus follows the moved criterion's button (the list re-renders under index keys).
  // Candidates in order: the first that exists and is enabled gets focus.
  const [focusTarget, setFocusTarget] = useState<string[] | null>(null);
  useEffect(() => {
    if (!focusTarget) return;
    const el = focusTarget.map((id) => document.getElementById(id)).find((e) => e && !(e as HTMLButtonElement).disabled);
    el?.focus();
  }, [focusTarget]);

  const [listError, setListError] = useState<string | null>(null);
  const move = (index: number, delta: number) => {
    const problem = edit.replace({ ...edit.config, rubric: { criteria: moveCriterion(criteria, index, delta) } });
    setListError(problem);
    const to = Math.max(0, Math.min(criteria.length - 1, index + delta));
    // At the list's end the button in that direction is disabled: then the other one takes focus.
    const [same, other] = delta < 0 ? ['up', 'down'] : ['down', 'up'];
    if (!problem) setFocusTarget([`criterion-${to}-${same}`, `criterion-${to}-${other}`]);
  };
  const remove = (index: number) => {
    const problem = edit.replace({ ...edit.config, rubric: { criteria: removeCriterion(criteria, index) } });
    setListError(problem);
    if (!problem) setFocusTarget(['add-criterion-kind']);
  };

  return (
    <section className="panel config-panel" aria-labelledby="rubric-heading" data-testid="rubric-panel">
      <h2 id="rubric-heading">Rubric</h2>
      <p className="field-help">Reward = Σ weight × score. Weight 0 logs a criterion without rewarding it; negative weights penalise.</p>
      <ol className="criteria-list">
        {criteria.map((c, i) => (
          <CriterionItem key={i} index={i} count={criteria.length} criterion={c} edit={edit} preview={preview} onMove={move} onRemove={remove} />
        ))}
      </ol>
      {listError && (
        <p className="field-error" role="alert">
          {listError}
        </p>
      )}
      <AddCriterion edit={edit} onAdded={(i) => setFocusTarget([`criterion-${i}-name`])} />
      <h3 className="subheading">Preview on sample completions</h3>
      <SamplesEditor
        samples={samples}
        onChange={setSource}
        onResetExamples={() => setSource('examples')}
        onUseRun={runGroup ? () => setSource('auto') : undefined}
      />
      {hasJudge && (
        <label className="checkbox-line">
          <input type="checkbox" checked={callJudge} onChange={(e) => setCallJudge(e.target.checked)} /> Call the judge in the preview (one
          API request per sample)
        </label>
      )}
      <RubricPreview preview={preview} />
      <WeightFit preview={preview} samples={samples} edit={edit} />
      <RubricAssistant edit={edit} samples={samples} />
    </section>
  );
}
