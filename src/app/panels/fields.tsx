// Labelled inputs for the config panels. Each keeps a text draft, hands every change to `onCommit` (which
// validates and commits, returning the refusal message or null), shows the message next to the field, and
// offers "reset to default". `data-committed` on the field holds the value the store has, so what is
// committed can be checked from the page (tests read it; the draft may differ while it is invalid).
import { useState, type ReactNode } from 'react';
import { formatNumber, parseNumberText } from './config-edit.ts';
import type { Paper } from './hyperparameter-groups.ts';

/** Returns why the value was refused, or null when it was committed. */
export type Commit<T> = (value: T) => string | null;

interface FieldShellProps {
  id: string;
  label: string;
  help?: string;
  paper?: Paper;
  error: string | null;
  committed: string;
  /** Shown when the value differs from the default; resets to it. */
  onReset?: () => void;
  canReset?: boolean;
  defaultText?: string;
  disabled?: boolean;
  /** Input beside the label (compact) or below it (wide inputs). */
  layout?: 'inline' | 'stacked';
  children: ReactNode;
}

export function describedBy(id: string, help?: string, error?: string | null): string | undefined {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function FieldShell(props: FieldShellProps) {
  const { id, label, help, paper, error, committed, onReset, canReset, defaultText, disabled, layout = 'inline', children } = props;
  return (
    <div className={`field field-${layout}${error ? ' field-invalid' : ''}`} data-committed={committed} data-field={id}>
      <div className="field-row">
        <label htmlFor={id}>{label}</label>
        {paper && (
          <a className="paper-link" href={paper.url} target="_blank" rel="noreferrer" aria-label={`${paper.label} paper`} title={`${paper.label} paper (arXiv)`}>
            {paper.label}
          </a>
        )}
        {layout === 'inline' && children}
        {onReset && (
          <button
            type="button"
            className="field-reset"
            onClick={onReset}
            disabled={disabled || !canReset}
            aria-label={`Reset ${label} to default${defaultText !== undefined ? ` (${defaultText})` : ''}`}
            title={`Reset to default${defaultText !== undefined ? ` (${defaultText})` : ''}`}
          >
            ↺
          </button>
        )}
      </div>
      {layout === 'stacked' && children}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
      {help && (
        <p className="field-help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </div>
  );
}

interface BaseProps<T> {
  id: string;
  label: string;
  value: T;
  onCommit: Commit<T>;
  help?: string;
  paper?: Paper;
  disabled?: boolean;
  /** When given, a reset button restores it (or calls onReset, e.g. to remove the key). */
  defaultValue?: T;
  onReset?: () => void;
  /** Overrides whether the reset button is enabled (e.g. "the key is set" for task params). */
  canReset?: boolean;
}

/** A draft that follows the committed value unless the draft already means that value (typing "1e-3"). */
function useDraft<T>(value: T, format: (v: T) => string, means: (text: string, v: T) => boolean) {
  const [draft, setDraft] = useState({ text: format(value), from: value, error: null as string | null });
  if (!Object.is(draft.from, value)) {
    // The store changed (a commit, a preset, a reset): adopt it, keeping text that already says the same.
    setDraft({ text: means(draft.text, value) ? draft.text : format(value), from: value, error: null });
  }
  return [draft, setDraft] as const;
}

export function NumberField(props: BaseProps<number> & { integer?: boolean; range?: string }) {
  const { id, label, value, onCommit, help, paper, disabled, defaultValue, integer, range } = props;
  const [draft, setDraft] = useDraft(value, formatNumber, (text, v) => {
    const parsed = parseNumberText(text, integer);
    return parsed.ok && parsed.value === v;
  });
  const change = (text: string) => {
    const parsed = parseNumberText(text, integer);
    const error = parsed.ok ? onCommit(parsed.value) : parsed.error;
    setDraft((d) => ({ ...d, text, error }));
  };
  const reset = () => {
    if (props.onReset) props.onReset();
    else if (defaultValue !== undefined) onCommit(defaultValue);
    setDraft((d) => ({ ...d, error: null }));
  };
  const fullHelp = [help, range ? `Allowed: ${range}.` : ''].filter(Boolean).join(' ');
  return (
    <FieldShell
      id={id}
      label={label}
      help={fullHelp}
      paper={paper}
      error={draft.error}
      committed={String(value)}
      onReset={defaultValue !== undefined || props.onReset ? reset : undefined}
      canReset={props.canReset ?? (defaultValue === undefined || value !== defaultValue || draft.error !== null)}
      defaultText={defaultValue === undefined ? undefined : formatNumber(defaultValue)}
      disabled={disabled}
    >
      <input
        id={id}
        type="text"
        inputMode={integer ? 'numeric' : 'decimal'}
        className="field-number"
        value={draft.text}
        disabled={disabled}
        aria-invalid={draft.error ? true : undefined}
        aria-describedby={describedBy(id, fullHelp, draft.error)}
        onChange={(e) => change(e.target.value)}
      />
    </FieldShell>
  );
}

export function SelectField(props: BaseProps<string> & { options: readonly string[]; optionLabels?: Readonly<Record<string, string>> }) {
  const { id, label, value, onCommit, help, paper, disabled, defaultValue, options, optionLabels } = props;
  const [error, setError] = useState<string | null>(null);
  const reset = () => {
    if (props.onReset) props.onReset();
    else if (defaultValue !== undefined) onCommit(defaultValue);
    setError(null);
  };
  return (
    <FieldShell
      id={id}
      label={label}
      help={help}
      paper={paper}
      error={error}
      committed={value}
      onReset={defaultValue !== undefined || props.onReset ? reset : undefined}
      canReset={props.canReset ?? (defaultValue === undefined || value !== defaultValue)}
      defaultText={defaultValue}
      disabled={disabled}
    >
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-describedby={describedBy(id, help, error)}
        onChange={(e) => setError(onCommit(e.target.value))}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {optionLabels?.[o] ?? o}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField(props: BaseProps<boolean>) {
  const { id, label, value, onCommit, help, paper, disabled, defaultValue } = props;
  const [error, setError] = useState<string | null>(null);
  const reset = () => {
    if (props.onReset) props.onReset();
    else if (defaultValue !== undefined) onCommit(defaultValue);
    setError(null);
  };
  return (
    <FieldShell
      id={id}
      label={label}
      help={help}
      paper={paper}
      error={error}
      committed={String(value)}
      onReset={defaultValue !== undefined || props.onReset ? reset : undefined}
      canReset={props.canReset ?? (defaultValue === undefined || value !== defaultValue)}
      defaultText={defaultValue === undefined ? undefined : String(defaultValue)}
      disabled={disabled}
    >
      <input
        id={id}
        type="checkbox"
        checked={value}
        disabled={disabled}
        aria-describedby={describedBy(id, help, error)}
        onChange={(e) => setError(onCommit(e.target.checked))}
      />
    </FieldShell>
  );
}

/** Text: one line, or a textarea with `rows`. */
export function TextField(
  props: BaseProps<string> & {
    rows?: number;
    placeholder?: string;
    spellCheck?: boolean;
    /** Whether the draft text already means the committed value (e.g. "a, " and "a" as stop strings). */
    sameValue?: (text: string, value: string) => boolean;
  },
) {
  const { id, label, value, onCommit, help, paper, disabled, defaultValue, rows, placeholder, spellCheck = false } = props;
  const [draft, setDraft] = useDraft(value, (v) => v, props.sameValue ?? ((text, v) => text === v));
  const change = (text: string) => {
    const error = onCommit(text);
    setDraft((d) => ({ ...d, text, error }));
  };
  const reset = () => {
    if (props.onReset) props.onReset();
    else if (defaultValue !== undefined) onCommit(defaultValue);
    setDraft((d) => ({ ...d, error: null }));
  };
  const common = {
    id,
    value: draft.text,
    disabled,
    placeholder,
    spellCheck,
    'aria-invalid': draft.error ? true : undefined,
    'aria-describedby': describedBy(id, help, draft.error),
  };
  return (
    <FieldShell
      id={id}
      label={label}
      help={help}
      paper={paper}
      error={draft.error}
      committed={value}
      onReset={defaultValue !== undefined || props.onReset ? reset : undefined}
      canReset={props.canReset ?? (defaultValue === undefined || value !== defaultValue || draft.error !== null)}
      defaultText={defaultValue === undefined || defaultValue.length > 40 ? undefined : JSON.stringify(defaultValue)}
      disabled={disabled}
      layout={rows ? 'stacked' : 'inline'}
    >
      {rows ? (
        <textarea {...common} rows={rows} onChange={(e) => change(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => change(e.target.value)} />
      )}
    </FieldShell>
  );
}
