// Classroom links hide chosen controls (e.g. `#hide=rubric,hyperparameters` next to `run=`), so a workshop
// can focus on one idea. Components ask `useHidden(id)` and render nothing when it is true.
// (Owned by the teaching/share work: the parsing and the link builder live in src/app/teaching/.)

/** Controls a classroom link can hide. */
export const HIDEABLE_CONTROLS = ['model', 'task', 'rubric', 'hyperparameters', 'backend', 'share', 'compare', 'customCode'] as const;
export type ControlId = (typeof HIDEABLE_CONTROLS)[number];

/** The controls hidden by the page's URL hash (`hide=a,b`); unknown names are ignored. */
export function hiddenControls(hash: string = typeof location === 'undefined' ? '' : location.hash): Set<ControlId> {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const names = (params.get('hide') ?? '').split(',').map((s) => s.trim());
  return new Set(HIDEABLE_CONTROLS.filter((c) => names.includes(c)));
}

const hidden = hiddenControls();

/** True when the page's classroom link hides this control. */
export function useHidden(id: ControlId): boolean {
  return hidden.has(id);
}
