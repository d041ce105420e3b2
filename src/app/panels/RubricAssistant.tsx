// The rubric assistant on the page: the person describes the task, a model behind any OpenAI-compatible endpoint
// proposes criteria (src/rl/rubric/assistant.ts checks each one), the proposals are previewed on the same sample
// completions as the rubric (in the preview worker, judges not called), and each is accepted or left out by the
// person; only "Add accepted criteria" changes the rubric, through the run config's validation. The request goes
// from this tab straight to the endpoint (which must allow it: CORS); the key is the judge key held in memory.
import { useMemo, useState } from 'react';
import type { RunConfig } from '../../rl/config/schema.ts';
import { acceptProposals, DEFAULT_ASSISTANT_LIMITS, suggestRubric, type Proposal, type Suggestion } from '../../rl/rubric/assistant.ts';
import { useSecrets } from '../secrets.ts';
import { JudgeKeyField } from './JudgeKeyField.tsx';
import type { PreviewSamples } from './preview-samples.ts';
import { RubricPreview } from './RubricPreview.tsx';
import type { ConfigEdit } from './useConfigEdit.ts';
import { useRubricPreview } from './useRubricPreview.ts';

/** The proposals scored on the samples in the preview worker, on a channel of their own (judges not called). */
function ProposalPreview({ proposals, samples, maxNewTokens }: { proposals: readonly Proposal[]; samples: PreviewSamples; maxNewTokens: number }) {
  const criteria = useMemo(() => proposals.map((p) => p.criterion), [proposals]);
  const preview = useRubricPreview(criteria, samples, false, maxNewTokens, 'assistant');
  return <RubricPreview preview={preview} />;
}

type Status = { kind: 'idle' } | { kind: 'asking' } | { kind: 'error'; message: string } | { kind: 'done'; suggestion: Suggestion };

export function RubricAssistant({ edit, samples }: { edit: ConfigEdit; samples: PreviewSamples }) {
  const [baseUrl, setBaseUrl] = useState('http://127.0.0.1:8000/v1');
  const [model, setModel] = useState('');
  const [task, setTask] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [accepted, setAccepted] = useState<boolean[]>([]);
  const [applied, setApplied] = useState<string | null>(null);
  const apiKey = useSecrets((s) => s.judgeApiKey);

  const proposals = useMemo(() => (status.kind === 'done' ? status.suggestion.proposals : []), [status]);

  const ask = async () => {
    setStatus({ kind: 'asking' });
    setApplied(null);
    try {
      const suggestion = await suggestRubric(
        { task, examples: [{ prompt: samples.prompt, answer: samples.answer, completions: samples.completions }], existing: edit.config.rubric.criteria },
        { ...DEFAULT_ASSISTANT_LIMITS, baseUrl, model },
        { apiKey },
      );
      setAccepted(suggestion.proposals.map(() => false));
      setStatus({ kind: 'done', suggestion });
    } catch (e) {
      setStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };

  const add = () => {
    // Kinds were checked against the registry; replace() validates the whole config again.
    const next = acceptProposals(edit.config.rubric.criteria, proposals, accepted) as RunConfig['rubric']['criteria'];
    const problem = edit.replace({ ...edit.config, rubric: { ...edit.config.rubric, criteria: next } });
    if (problem) setApplied(`Not added: ${problem}`);
    else {
      setApplied(`Added ${accepted.filter(Boolean).length} criteria to the rubric.`);
      setStatus({ kind: 'idle' });
    }
  };

  return (
    <details className="rubric-assistant" data-testid="rubric-assistant">
      <summary>Rubric assistant: criteria proposed by an LLM</summary>
      <div className="field field-inline">
        <div className="field-row">
          <label htmlFor="assistant-base-url">Endpoint</label>
          <input id="assistant-base-url" type="url" value={baseUrl} spellCheck={false} onChange={(e) => setBaseUrl(e.target.value)} />
        </div>
      </div>
      <div className="field field-inline">
        <div className="field-row">
          <label htmlFor="assistant-model">Model</label>
          <input id="assistant-model" type="text" value={model} spellCheck={false} placeholder="e.g. gpt-4o-mini" onChange={(e) => setModel(e.target.value)} />
        </div>
      </div>
      <JudgeKeyField id="assistant-key" />
      <div className="field field-stacked">
        <label htmlFor="assistant-task">Task: what a good answer looks like</label>
        <textarea id="assistant-task" rows={3} value={task} onChange={(e) => setTask(e.target.value)} />
        <p className="field-help">The sample completions below go with it as examples. Nothing changes until you add the criteria you accept.</p>
      </div>
      <button type="button" onClick={() => void ask()} disabled={status.kind === 'asking' || !task.trim() || !model.trim()}>
        {status.kind === 'asking' ? 'Asking…' : 'Suggest criteria'}
      </button>
      {status.kind === 'error' && (
        <p className="field-error" role="alert">
          {status.message}
        </p>
      )}
      {applied && (
        <p className="field-help" role="status">
          {applied}
        </p>
      )}
      {status.kind === 'done' && (
        <div className="assistant-proposals" data-testid="assistant-proposals">
          <ul className="proposal-list">
            {proposals.map((p, i) => (
              <li key={p.criterion.name} data-proposal={p.criterion.name}>
                <label className="checkbox-line">
                  <input
                    type="checkbox"
                    checked={accepted[i] ?? false}
                    onChange={(e) => setAccepted((a) => a.map((x, k) => (k === i ? e.target.checked : x)))}
                  />
                  Accept <strong>{p.criterion.name}</strong> <code>{p.criterion.kind}</code> ×{p.criterion.weight}
                </label>
                <p className="field-help">
                  {p.reason}
                  {Object.keys(p.criterion.params).length > 0 && (
                    <>
                      {' '}
                      <code className="sample-text">{JSON.stringify(p.criterion.params)}</code>
                    </>
                  )}
                </p>
              </li>
            ))}
          </ul>
          {status.suggestion.rejected.map((r) => (
            <p key={r.index} className="field-error" data-rejected={r.name ?? r.index}>
              Rejected #{r.index + 1}
              {r.name ? ` ${r.name}` : ''}: {r.error}
            </p>
          ))}
          {proposals.length > 0 && (
            <>
              <h4 className="subheading">Proposals on the sample completions</h4>
              <ProposalPreview proposals={proposals} samples={samples} maxNewTokens={edit.config.sampling.maxNewTokens} />
              <button type="button" onClick={add} disabled={edit.locked || !accepted.some(Boolean)}>
                Add accepted criteria
              </button>
            </>
          )}
        </div>
      )}
    </details>
  );
}
