// Under the header: what happened to the page's share link. A bad link gets one clear message (the work in
// the page is kept); a link with code asks "Run this code?" and shows the code as text; a link pasted into an
// open page asks before replacing the settings; curves that came with a link are summarised.
import { useEffect, useRef } from 'react';
import { useStore } from '../store.ts';
import { curvesBrief } from './curves-brief.ts';
import { useShareLink, type PendingLink } from './share-link-store.ts';
import './share.css';

function ConsentPrompt({ pending }: { pending: PendingLink }) {
  const accept = useShareLink((s) => s.accept);
  const decline = useShareLink((s) => s.decline);
  const keepCurrent = useShareLink((s) => s.keepCurrent);
  const heading = useRef<HTMLHeadingElement>(null);
  // Land keyboard and screen-reader users on the question.
  useEffect(() => heading.current?.focus(), [pending]);
  const hasCode = pending.untrusted.length > 0;
  const title = hasCode ? 'This link contains code. Run this code?' : 'Open the run from this link?';

  return (
    <section className="share-consent" aria-labelledby="share-consent-title" data-testid="share-consent">
      <h2 id="share-consent-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {hasCode ? (
        <>
          <p>
            The shared run's rubric has {pending.untrusted.length === 1 ? 'a criterion' : `${pending.untrusted.length} criteria`} that
            would run on every completion. Read {pending.untrusted.length === 1 ? 'it' : 'them'} before you accept: the page does
            not use this run until you decide.
          </p>
          <ul className="share-consent-list">
            {pending.untrusted.map((c) => (
              <li key={c.name}>
                <p>
                  <strong>{c.name}</strong> <span className="share-kind">({c.kind})</span>: {c.effect}
                </p>
                <pre className="text-block share-code" tabIndex={0} aria-label={`Code of ${c.name}`}>
                  {c.code}
                </pre>
              </li>
            ))}
          </ul>
          <p className="share-hint">
            <strong>Open without it</strong> loads the shared run with these criteria removed (if none are left, the default rubric is
            used).
          </p>
        </>
      ) : (
        <p>It replaces your current settings (model, task, rubric and hyperparameters).</p>
      )}
      <div className="share-actions">
        <button type="button" className="primary" onClick={accept}>
          {hasCode ? 'Run this code' : 'Open the linked run'}
        </button>
        {hasCode && (
          <button type="button" onClick={decline}>
            Open without it
          </button>
        )}
        {pending.replacesWork && (
          <button type="button" onClick={keepCurrent}>
            Keep my current settings
          </button>
        )}
      </div>
    </section>
  );
}

export function ShareLinkNotice() {
  const { pending, error, errorKeptWork, curvesError, outcome, dismiss } = useShareLink();
  const sharedCurves = useStore((s) => s.sharedCurves);

  return (
    <div className="share-notices">
      {error && (
        <div className="share-error" role="alert" data-testid="share-error">
          <p>
            This share link could not be opened: {error}.{' '}
            {errorKeptWork ? 'Your current settings are unchanged.' : 'The default run is loaded instead.'}
          </p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {curvesError && (
        <div className="share-error" role="alert" data-testid="share-curves-error">
          <p>The curves in this link were left out ({curvesError}). Its run settings were read normally.</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {pending && <ConsentPrompt pending={pending} />}
      <p className="share-outcome" role="status">
        {outcome}
      </p>
      {sharedCurves && !pending && (
        <p className="share-reference" data-testid="share-reference">
          {curvesBrief(sharedCurves)}
        </p>
      )}
    </div>
  );
}
