// The page layout. Header: title, run controls, Share. Left: Try this, the compute picker and the config
// panels (model, task, rubric, hyperparameters). Right: the run's headline, hacking warnings, then tabs:
// Charts, Rollouts, Compare, Learn. Below 900 px the columns stack, the run first (styles.css).
// Each region is its own module; this file only arranges them.
import { Activity, useState } from 'react';
import { useHidden } from './classroom.ts';
import { TrainControls } from './components/TrainControls.tsx';
import { BackendPicker } from './components/BackendPicker.tsx';
import { HackingWarnings } from './components/HackingWarnings.tsx';
import { StepCounter } from './components/StepCounter.tsx';
import { RunHeadline } from './components/RunHeadline.tsx';
import { ConfigPanels } from './panels/ConfigPanels.tsx';
import { ChartsPanel } from './charts/ChartsPanel.tsx';
import { RolloutViewer } from './rollouts/RolloutViewer.tsx';
import { ComparePanel } from './compare/ComparePanel.tsx';
import { TeachingPanel } from './teaching/TeachingPanel.tsx';
import { TryThis } from './teaching/TryThis.tsx';
import { ShareButton } from './share/ShareButton.tsx';
import { ShareLinkNotice } from './share/ShareLinkNotice.tsx';
import { SavedRunsNotice } from './persist/SavedRunsNotice.tsx';

const TABS = [
  { id: 'charts', label: 'Charts', render: () => <ChartsPanel /> },
  { id: 'rollouts', label: 'Rollouts', render: () => <RolloutViewer /> },
  { id: 'compare', label: 'Compare', render: () => <ComparePanel />, hideable: 'compare' as const },
  { id: 'learn', label: 'Learn', render: () => <TeachingPanel /> },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * Tabs with the ARIA tabs pattern: arrow keys move between tabs, the panel is labelled by its tab. A tab once
 * opened stays mounted but hidden (React's Activity): coming back to it is instant and keeps its state (the
 * rollouts' step, the compare selection), and while hidden it only re-renders when the page is idle.
 */
function WorkspaceTabs() {
  const [active, setActive] = useState<TabId>('charts');
  const [opened, setOpened] = useState<ReadonlySet<TabId>>(() => new Set(['charts']));
  const compareHidden = useHidden('compare');
  const tabs = TABS.filter((t) => !('hideable' in t) || !compareHidden);
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  const open = (id: TabId) => {
    setActive(id);
    setOpened((o) => (o.has(id) ? o : new Set([...o, id])));
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === current.id);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : null;
    if (next === null) return;
    const tab = tabs[(next + tabs.length) % tabs.length];
    open(tab.id);
    document.getElementById(`tab-${tab.id}`)?.focus();
  };
  return (
    <div className="workspace-tabs">
      <div role="tablist" aria-label="Run views" className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            type="button"
            aria-selected={t.id === current.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={t.id === current.id ? 0 : -1}
            onClick={() => open(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs
        .filter((t) => t.id === current.id || opened.has(t.id))
        .map((t) => (
          <Activity key={t.id} mode={t.id === current.id ? 'visible' : 'hidden'}>
            <div role="tabpanel" id={`tabpanel-${t.id}`} aria-labelledby={`tab-${t.id}`} className="tabpanel">
              {t.render()}
            </div>
          </Activity>
        ))}
    </div>
  );
}

export function App() {
  const backendHidden = useHidden('backend');
  return (
    <div className="app">
      <a className="skip-link" href="#run">
        Skip to the run
      </a>
      <header className="app-header">
        <div className="brand">
          <h1>GRPO Playground</h1>
          <p className="tagline">Reinforcement learning for a small language model, running in your browser.</p>
        </div>
        <div className="header-actions">
          <TrainControls />
          <StepCounter />
          <ShareButton />
        </div>
      </header>
      <ShareLinkNotice />
      <SavedRunsNotice />
      <main className="layout">
        {/* The run first in reading order: on a phone it comes before the settings (which stack below it). */}
        <section className="workspace" id="run" tabIndex={-1} aria-label="Training run">
          <RunHeadline />
          <HackingWarnings />
          <WorkspaceTabs />
        </section>
        <aside className="config-column" aria-label="Run configuration">
          <TryThis />
          {!backendHidden && <BackendPicker />}
          <ConfigPanels />
        </aside>
      </main>
    </div>
  );
}
