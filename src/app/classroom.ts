// Classroom links hide chosen controls, so a workshop can focus on one idea. Components ask `useHidden(id)`
// and render nothing when it is true. The teacher builds the link in the Share panel ("Classroom link").
//
// Link format (the URL hash, params joined by '&', in any order):
//   #run=<config>&curves=<curve summary>&hide=rubric,hyperparameters
//   run=     the run config (src/rl/config/share.ts); curves= optional curve summary (src/app/share/curves.ts)
//   hide=    comma-separated names from HIDEABLE_CONTROLS; unknown names are ignored, so older pages still
//            open newer classroom links. `hide=` alone (no run=) hides controls over the default run.
// Hiding is a teaching aid, not a lock: the student can still remove `hide=` from the address bar. The
// "Run this code?" prompt for code from a link is never hidden (hiding customCode hides the editors only).

/** Controls a classroom link can hide. */
export const HIDEABLE_CONTROLS = [
  'model',
  'task',
  'rubric',
  'hyperparameters',
  'backend',
  'share',
  'compare',
  'customCode',
  'tryThis',
] as const;
export type ControlId = (typeof HIDEABLE_CONTROLS)[number];

/** What each hideable control is called on the page (for the Share panel's checkboxes). */
export const CONTROL_LABELS: Readonly<Record<ControlId, string>> = {
  model: 'Model panel',
  task: 'Task panel',
  rubric: 'Rubric panel',
  hyperparameters: 'Hyperparameters',
  backend: 'Backend picker',
  share: 'Share button',
  compare: 'Compare tab',
  customCode: 'Custom code criteria',
  tryThis: '"Try this" starters',
};

export const HIDE_PARAM = 'hide';

/** The controls hidden by the page's URL hash (`hide=a,b`); unknown names are ignored. */
export function hiddenControls(hash: string = typeof location === 'undefined' ? '' : location.hash): Set<ControlId> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const names = (params.get(HIDE_PARAM) ?? '').split(',').map((s) => s.trim());
  return new Set(HIDEABLE_CONTROLS.filter((c) => names.includes(c)));
}

/** The `hide=...` hash param for these controls (in HIDEABLE_CONTROLS order), or null when none is hidden. */
export function hideParam(controls: Iterable<ControlId>): string | null {
  const set = new Set(controls);
  const names = HIDEABLE_CONTROLS.filter((c) => set.has(c));
  return names.length ? `${HIDE_PARAM}=${names.join(',')}` : null;
}

const hidden = hiddenControls();

/** The controls hidden on this page (read once at load: a classroom link is opened, not edited live). */
export function pageHiddenControls(): ReadonlySet<ControlId> {
  return hidden;
}

/** True when the page's classroom link hides this control. */
export function useHidden(id: ControlId): boolean {
  return hidden.has(id);
}
