// Own data for the own-data task: paste JSONL/CSV or upload a file; a preview table of the first rows as the
// task reads them, or the first problem with its line number (and a button that selects that line). Text the
// task refuses stays in the editor but is not committed: the run keeps the last valid data. For a bundled
// model it also says when the model's chat template drops the system prompt, and which rows hold characters
// its tokenizer does not know (model-text.ts).
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_OWN_DATA_SYSTEM_PROMPT } from '../../rl/tasks/own-data.ts';
import { loadModelText, outsideVocabulary, showCharacter, type ModelText } from './model-text.ts';
import { cellText, lineRange, MAX_DATA_CHARS, MAX_UPLOAD_BYTES, previewOwnData } from './own-data-preview.ts';
import type { ConfigEdit } from './useConfigEdit.ts';
import './own-data.css';

/** The bundled model's template and vocabulary, once loaded (null for a Hub model or while loading). */
function useModelText(modelId: string): ModelText | null {
  const [text, setText] = useState<{ id: string; text: ModelText | null } | null>(null);
  useEffect(() => {
    let live = true;
    void loadModelText(modelId).then((t) => live && setText({ id: modelId, text: t }));
    return () => {
      live = false;
    };
  }, [modelId]);
  return text?.id === modelId ? text.text : null;
}

function ModelTextNotes({ edit, preview }: { edit: ConfigEdit; preview: ReturnType<typeof previewOwnData> }) {
  const modelId = edit.config.model.id;
  const text = useModelText(modelId);
  if (!text) return null;
  const system = String(edit.config.task.params.systemPrompt ?? DEFAULT_OWN_DATA_SYSTEM_PROMPT);
  const outside = preview.ok ? outsideVocabulary(preview.all, text.characters) : null;
  const systemOutside = text.system === 'kept' && text.characters ? [...new Set(system)].filter((ch) => !text.characters!.has(ch)) : [];
  return (
    <>
      {text.system !== 'kept' && system !== '' && (
        <p className="field-warning" data-testid="own-data-system-note">
          {modelId}'s chat template {text.system === 'dropped' ? 'drops system messages' : 'refuses system messages'}: the model never sees the
          systemPrompt above{text.system === 'refused' ? ' (and rendering the prompt may fail)' : ''}. Put instructions in the prompts, or use a model whose template has a
          system role (the Hub models').
        </p>
      )}
      {outside && (
        <p className="field-warning" data-testid="own-data-vocabulary" role="status">
          {outside.rows} row{outside.rows === 1 ? '' : 's'} (line{outside.lines.length === 1 ? '' : 's'} {outside.lines.join(', ')}
          {outside.rows > outside.lines.length ? ', …' : ''}) hold characters {modelId}'s tokenizer does not know:{' '}
          {outside.characters.slice(0, 12).map(showCharacter).join(', ')}
          {outside.characters.length > 12 ? `, and ${outside.characters.length - 12} more` : ''}. They become its unknown token, so the model cannot read
          them in a prompt or write them in an answer.
        </p>
      )}
      {systemOutside.length > 0 && (
        <p className="field-warning" data-testid="own-data-system-vocabulary">
          The systemPrompt holds characters {modelId}'s tokenizer does not know: {systemOutside.slice(0, 12).map(showCharacter).join(', ')}.
        </p>
      )}
    </>
  );
}

export function OwnDataEditor({ edit }: { edit: ConfigEdit }) {
  const committed = String(edit.config.task.params.data ?? '');
  const format = String(edit.config.task.params.format ?? 'auto');
  const [draft, setDraft] = useState({ text: committed, from: committed, error: null as string | null });
  if (draft.from !== committed) setDraft({ text: draft.text === committed ? draft.text : committed, from: committed, error: null });
  const [uploadError, setUploadError] = useState<string | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const preview = useMemo(() => previewOwnData(draft.text, format), [draft.text, format]);

  const change = (text: string) => {
    const error = edit.commit(['task', 'params', 'data'], text);
    setDraft((d) => ({ ...d, text, error }));
  };

  const upload = async (file: File | undefined) => {
    setUploadError(null);
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      setUploadError(`${file.name} is ${Math.round(file.size / 1024)} KB; own data is limited to ${MAX_DATA_CHARS / 1024}k characters.`);
      return;
    }
    change(await file.text());
  };

  const selectLine = (line: number) => {
    const el = textarea.current;
    if (!el) return;
    const [start, end] = lineRange(draft.text, line);
    el.focus();
    el.setSelectionRange(start, end);
  };

  const id = 'task-own-data';
  // The preview's line-numbered message is the precise one; the schema's is shown only when they differ.
  const schemaError = draft.error && (preview.ok || !draft.error.includes(preview.message)) ? draft.error : null;
  return (
    <div className="own-data" data-committed-length={committed.length}>
      <div className="field field-stacked">
        <div className="field-row">
          <label htmlFor={id}>Your data (JSONL or CSV)</label>
        </div>
        <textarea
          id={id}
          ref={textarea}
          rows={6}
          spellCheck={false}
          value={draft.text}
          disabled={edit.locked}
          placeholder={'prompt,answer\nFrance,Paris\n\nor one {"prompt": "...", "answer": "..."} per line'}
          aria-invalid={draft.error || !preview.ok ? true : undefined}
          aria-describedby={[`${id}-help`, schemaError ? `${id}-error` : '', preview.ok ? '' : `${id}-problem`].filter(Boolean).join(' ')}
          onChange={(e) => change(e.target.value)}
        />
        <p className="field-help" id={`${id}-help`}>
          Columns/keys: prompt and answer (required), split (train/eval, optional); others go to the row's info. At most{' '}
          {MAX_DATA_CHARS / 1024}k characters.
        </p>
      </div>
      <div className="own-data-upload">
        <label htmlFor={`${id}-file`}>Upload a file</label>
        <input
          id={`${id}-file`}
          type="file"
          accept=".jsonl,.csv,.txt,.json,text/csv,application/jsonl"
          disabled={edit.locked}
          onChange={(e) => void upload(e.target.files?.[0])}
        />
      </div>
      {uploadError && (
        <p className="field-error" role="alert">
          {uploadError}
        </p>
      )}
      {schemaError && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {schemaError}
        </p>
      )}
      <ModelTextNotes edit={edit} preview={preview} />
      {preview.ok ? (
        <div className="own-data-preview" data-testid="own-data-preview">
          <p className="field-help">
            {preview.total} row{preview.total === 1 ? '' : 's'} ({preview.format.toUpperCase()}){preview.total > preview.rows.length && `, first ${preview.rows.length} shown`}:
          </p>
          <div className="table-scroll">
            <table className="compact-table">
              <thead>
                <tr>
                  <th scope="col">line</th>
                  {preview.columns.map((c) => (
                    <th key={c} scope="col">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    {preview.columns.map((c) => (
                      <td key={c}>{cellText(row, c)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : (
        <div className="own-data-error" role="alert" data-testid="own-data-error" data-line={preview.line ?? undefined} id={`${id}-problem`}>
          <p>
            {preview.format.toUpperCase()}: {preview.message[0].toUpperCase() + preview.message.slice(1)}
          </p>
          {preview.line !== null && (
            <button type="button" onClick={() => selectLine(preview.line!)}>
              Select line {preview.line}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
