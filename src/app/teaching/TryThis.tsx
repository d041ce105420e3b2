// "Try this": clickable experiments above the run views. Each changes the current config (one pure starter
// function, starters.ts) and says what to watch for; the user then presses Train. Disabled while a run is on;
// a starter that would change settings a classroom link hides is not offered (classroom-guard.ts).
import { useState } from 'react';
import { diffRunConfigs } from '../../rl/config/diff.ts';
import { isActive, useStore } from '../store.ts';
import { pageHiddenControls, useHidden } from '../classroom.ts';
import { changesHidden } from '../classroom-guard.ts';
import { useShareDecisionPending } from '../share/share-link-store.ts';
import { STARTERS, starterApplies, type Starter } from './starters.ts';
import './teaching.css';

function changeText(before: unknown, after: unknown): string {
  const fmt = (v: unknown) => (v === undefined ? 'removed' : JSON.stringify(v));
  return `${fmt(before)} → ${fmt(after)}`;
}

export function TryThis() {
  const hidden = useHidden('tryThis');
  const config = useStore((s) => s.config);
  const setConfig = useStore((s) => s.setConfig);
  const running = useStore((s) => isActive(s.status));
  // While a shared link waits for a decision, an experiment would be overwritten by it: decide first.
  const linkPending = useShareDecisionPending();
  const [applied, setApplied] = useState('');

  if (hidden) return null;

  const run = (starter: Starter) => {
    const next = starter.apply(config);
    const changes = diffRunConfigs(config, next)
      .map((d) => `${d.path} ${changeText(d.a, d.b)}`)
      .join('; ');
    setConfig(next);
    setApplied(`Applied “${starter.title}” (${changes}). Press Train and ${starter.watch.charAt(0).toLowerCase()}${starter.watch.slice(1)}`);
  };

  return (
    <details className="try-this panel" open>
      <summary>
        <h2>Try this</h2>
        <span className="try-this-hint">{running
            ? 'Stop the run to try an experiment.'
            : linkPending
              ? 'First decide about the shared link above.'
              : 'One click changes the settings; then press Train.'}</span>
      </summary>
      <ul className="try-this-list">
        {STARTERS.filter((s) => !changesHidden(config, s.apply(config), pageHiddenControls())).map((s) => {
          const applies = starterApplies(s, config);
          return (
            <li key={s.id}>
              <button
                type="button"
                className="try-this-starter"
                disabled={running || linkPending || !applies}
                onClick={() => run(s)}
                data-starter={s.id}
                title={applies ? undefined : 'Already so in the current settings'}
              >
                <span className="try-this-title">{s.title}</span>
                <span className="try-this-watch">
                  {s.watch}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="try-this-applied" role="status" aria-live="polite">
        {applied}
      </p>
    </details>
  );
}
