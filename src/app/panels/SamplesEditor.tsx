// The preview's sample completions, editable: the prompt, its reference answer, and a few completions
// (the task's examples, or the latest completions of a run). Nothing here changes the run config.
import { MAX_SAMPLES, type PreviewSamples } from './preview-samples.ts';

interface Props {
  samples: PreviewSamples;
  onChange: (samples: PreviewSamples) => void;
  onResetExamples: () => void;
  /** Present when a run has completions to use. */
  onUseRun?: () => void;
}

export function SamplesEditor({ samples, onChange, onResetExamples, onUseRun }: Props) {
  const setCompletion = (i: number, text: string) => onChange({ ...samples, completions: samples.completions.map((c, k) => (k === i ? text : c)) });
  return (
    <details className="samples-editor">
      <summary>Sample completions ({samples.completions.length})</summary>
      <div className="field field-inline">
        <div className="field-row">
          <label htmlFor="sample-prompt">Prompt</label>
          <input id="sample-prompt" type="text" value={samples.prompt} onChange={(e) => onChange({ ...samples, prompt: e.target.value })} />
        </div>
      </div>
      <div className="field field-inline">
        <div className="field-row">
          <label htmlFor="sample-answer">Answer</label>
          <input id="sample-answer" type="text" value={samples.answer} onChange={(e) => onChange({ ...samples, answer: e.target.value })} />
        </div>
      </div>
      <ol className="sample-list">
        {samples.completions.map((c, i) => (
          <li key={i}>
            <label htmlFor={`sample-completion-${i}`} className="visually-hidden">
              Completion {i + 1}
            </label>
            <input id={`sample-completion-${i}`} type="text" value={c} onChange={(e) => setCompletion(i, e.target.value)} />
            <button
              type="button"
              aria-label={`Remove completion ${i + 1}`}
              disabled={samples.completions.length <= 1}
              onClick={() => onChange({ ...samples, completions: samples.completions.filter((_, k) => k !== i) })}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <div className="button-row">
        <button
          type="button"
          disabled={samples.completions.length >= MAX_SAMPLES}
          onClick={() => onChange({ ...samples, completions: [...samples.completions, ''] })}
        >
          Add completion
        </button>
        <button type="button" onClick={onResetExamples}>
          Task examples
        </button>
        {onUseRun && (
          <button type="button" onClick={onUseRun}>
            Latest run completions
          </button>
        )}
      </div>
    </details>
  );
}
