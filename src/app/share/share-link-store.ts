// What the page does with its share link beyond the initial config: the consent prompt for code from a link,
// the "open this other run?" prompt when the hash changes in an open page, and the messages about bad links.
// A small zustand store of its own, so the run store only ever holds configs the user has accepted.
//
// Gate for Train: `useShareDecisionPending()` is true while a link's config waits for the user's decision.
import { create } from 'zustand';
import type { RunConfig } from '../../rl/config/schema.ts';
import { useStore } from '../store.ts';
import type { CurveSummary } from './curves.ts';
import { hashWithoutShare, openShareLink, type OpenedShareLink } from './share-link.ts';
import { untrustedCriteria, withoutUntrustedCriteria, type UntrustedCriterion } from './untrusted.ts';

export interface PendingLink {
  config: RunConfig;
  /** Criteria that run code or call out; empty when only `replacesWork` asks for a decision. */
  untrusted: UntrustedCriterion[];
  curves: CurveSummary | null;
  /** True when the link came after the page had opened (accepting replaces the user's current settings). */
  replacesWork: boolean;
}

interface ShareLinkState {
  pending: PendingLink | null;
  /** Why the link's run could not be opened. */
  error: string | null;
  /** False at page load (the default run is in use), true later (the user's settings are unchanged). */
  errorKeptWork: boolean;
  /** Why the link's curves were dropped (its run still opened). */
  curvesError: string | null;
  /** The last decision, said back in words. */
  outcome: string | null;
  accept: () => void;
  decline: () => void;
  keepCurrent: () => void;
  dismiss: () => void;
}

/** The state a freshly read link leads to. Pure, for tests. */
export function linkState(link: OpenedShareLink, replacesWork: boolean): Pick<ShareLinkState, 'pending' | 'error' | 'errorKeptWork' | 'curvesError' | 'outcome'> {
  const base = { pending: null, error: link.configError, errorKeptWork: replacesWork, curvesError: link.curvesError, outcome: null };
  if (!link.config) return base;
  const untrusted = untrustedCriteria(link.config);
  // At page load a link without code is already applied (initial-config.ts): nothing to decide.
  if (!replacesWork && untrusted.length === 0) return base;
  return { ...base, pending: { config: link.config, untrusted, curves: link.curves, replacesWork } };
}

function apply(config: RunConfig, curves: CurveSummary | null): void {
  useStore.getState().setConfig(config);
  // The link's curves (and the config they were made with) replace any earlier reference run.
  useStore.getState().setSharedCurves(curves, curves ? structuredClone(config) : undefined);
}

export const useShareLink = create<ShareLinkState>()((set, get) => ({
  ...linkState(openShareLink(typeof location === 'undefined' ? '' : location.hash), false),
  accept: () => {
    const pending = get().pending;
    if (!pending) return;
    apply(pending.config, pending.curves);
    const outcome = pending.untrusted.length ? "The linked run is loaded with its code. Press Train to run it." : 'The linked run is loaded.';
    set({ pending: null, outcome });
  },
  decline: () => {
    const pending = get().pending;
    if (!pending) return;
    const declined = withoutUntrustedCriteria(pending.config);
    apply(declined.config, pending.curves);
    const removed = declined.removed.map((n) => `'${n}'`).join(', ');
    const outcome =
      `The linked run is loaded without its code: removed ${removed}.` +
      (declined.rubricReset ? ' No criteria were left, so the default rubric is used.' : '');
    set({ pending: null, outcome });
  },
  keepCurrent: () => set({ pending: null, outcome: 'Your current settings are unchanged.' }),
  // Dismissing a bad link also takes it out of the address bar, so a reload does not show it again.
  dismiss: () => {
    set({ error: null, curvesError: null, outcome: null });
    if (typeof location !== 'undefined' && typeof history !== 'undefined' && get().pending === null) {
      const hash = hashWithoutShare(location.hash);
      history.replaceState(history.state, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
    }
  },
}));

/** True while a link's run waits for the user's decision: Train should wait too. */
export function useShareDecisionPending(): boolean {
  return useShareLink((s) => s.pending !== null);
}

// A link pasted into an open page only changes the hash: read it, but let the user decide.
if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const link = openShareLink(location.hash);
    if (link.present) useShareLink.setState(linkState(link, true));
  });
}
