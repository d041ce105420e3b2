// The header's Share button: copies a link holding the whole run config (and, optionally, a summary of the
// current run's curves) and opens a small panel with the link, its length, what it contains, and the
// classroom options (controls to hide for students).
import { useId, useMemo, useRef, useState } from 'react';
import { useStore } from '../store.ts';
import { CONTROL_LABELS, HIDEABLE_CONTROLS, pageHiddenControls, useHidden, type ControlId } from '../classroom.ts';
import { hasCurves, summarizeCurves } from './curves.ts';
import { buildShareLink, LONG_LINK_CHARS } from './share-link.ts';
import { nonDefaultSettings } from './config-summary.ts';
import { copyText } from './copy-text.ts';
import './share.css';

/** The page's address without its hash: where the link opens. */
const pageBase = (): string => (typeof location === 'undefined' ? 'http://localhost/' : `${location.origin}${location.pathname}${location.search}`);

function SharePanel({ id, onClose, copyMessage, onCopy }: { id: string; onClose: () => void; copyMessage: string; onCopy: (url: string) => void }) {
  const config = useStore((s) => s.config);
  const train = useStore((s) => s.train);
  const evals = useStore((s) => s.evals);
  const [includeChoice, setIncludeChoice] = useState<boolean | null>(null);
  const [hide, setHide] = useState<ReadonlySet<ControlId>>(() => new Set(pageHiddenControls()));

  const curves = useMemo(() => summarizeCurves(train, evals, config.name), [train, evals, config.name]);
  const curvesAvailable = hasCurves(curves);
  const includeCurves = curvesAvailable && (includeChoice ?? true);
  const url = useMemo(() => buildShareLink(pageBase(), { config, curves: includeCurves ? curves : null, hide }), [config, curves, includeCurves, hide]);
  const settings = useMemo(() => nonDefaultSettings(config), [config]);
  const lastStep = train.at(-1)?.step ?? evals.at(-1)?.step ?? 0;

  const toggleHidden = (c: ControlId, on: boolean) => {
    const next = new Set(hide);
    if (on) next.add(c);
    else next.delete(c);
    setHide(next);
  };

  return (
    <div
      id={id}
      className="share-panel panel"
      role="dialog"
      aria-label="Share this run"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <h2>Share this run</h2>
      <label className="share-url-label">
        Link
        <input
          className="share-url"
          data-testid="share-url"
          readOnly
          value={url}
          onFocus={(e) => e.currentTarget.select()}
          autoFocus
        />
      </label>
      <p className="share-length" data-testid="share-length">
        {url.length.toLocaleString('en')} characters
      </p>
      {url.length > LONG_LINK_CHARS && (
        <p className="share-warning" role="note">
          This link is long: some chat apps, mail programs and browsers cut links above about {LONG_LINK_CHARS.toLocaleString('en')}{' '}
          characters. {includeCurves ? 'Untick "Include curves" to shorten it.' : 'Own data pasted into the task makes links long.'}
        </p>
      )}
      <div className="share-actions">
        <button type="button" className="primary" onClick={() => onCopy(url)}>
          Copy link
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
        <span className="share-copied" role="status" aria-live="polite" data-testid="share-copied">
          {copyMessage}
        </span>
      </div>
      <label className="share-check">
        <input
          type="checkbox"
          checked={includeCurves}
          disabled={!curvesAvailable}
          onChange={(e) => setIncludeChoice(e.target.checked)}
        />
        Include curves {curvesAvailable ? `(reward and eval accuracy up to step ${lastStep})` : '(no run data yet)'}
      </label>
      <details className="share-details">
        <summary>In this link: {settings.length === 0 ? 'the default run' : `${settings.length} setting${settings.length === 1 ? '' : 's'} changed from the defaults`}</summary>
        <ul className="share-settings" data-testid="share-settings">
          {settings.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      </details>
      <fieldset className="share-classroom">
        <legend>Classroom link: hide these controls for students</legend>
        {HIDEABLE_CONTROLS.map((c) => (
          <label key={c} className="share-check">
            <input type="checkbox" checked={hide.has(c)} onChange={(e) => toggleHidden(c, e.target.checked)} />
            {CONTROL_LABELS[c]}
          </label>
        ))}
      </fieldset>
    </div>
  );
}

export function ShareButton() {
  const hidden = useHidden('share');
  const [open, setOpen] = useState(false);
  const [copyMessage, setCopyMessage] = useState('');
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const config = useStore((s) => s.config);

  const copy = async (url: string) => {
    setCopyMessage('');
    const ok = await copyText(url);
    if (ok) {
      setCopyMessage('Link copied');
      return;
    }
    // Fallback: the link is selected in the read-only input; the user copies it themselves.
    const input = document.querySelector<HTMLInputElement>('.share-url');
    input?.focus();
    input?.select();
    setCopyMessage('Press Ctrl+C (⌘C on a Mac) to copy the selected link');
  };

  const close = () => {
    setOpen(false);
    setCopyMessage('');
    button.current?.focus();
  };

  if (hidden) return null;
  return (
    <div className="share">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => {
          if (open) return close();
          setOpen(true);
          // Copy straight away (the common case), with what the panel starts with: curves included when there are any.
          const { train, evals } = useStore.getState();
          const curves = summarizeCurves(train, evals, config.name);
          void copy(buildShareLink(pageBase(), { config, curves, hide: pageHiddenControls() }));
        }}
        title="Copy a link to this run"
      >
        Share
      </button>
      {open && <SharePanel id={panelId} onClose={close} copyMessage={copyMessage} onCopy={(url) => void copy(url)} />}
    </div>
  );
}
