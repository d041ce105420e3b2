// The rollout scrubber's position as a pure function: which kept step to show, following the latest one
// when asked, and falling back to the nearest kept step when the chosen one was thinned away.

/** Index into `steps` (ascending) to show; -1 when nothing is kept. */
export function scrubIndex(steps: readonly number[], selected: number | null, followLatest: boolean): number {
  if (steps.length === 0) return -1;
  if (followLatest || selected === null) return steps.length - 1;
  let best = 0;
  for (let i = 1; i < steps.length; i++) {
    if (Math.abs(steps[i] - selected) < Math.abs(steps[best] - selected)) best = i;
  }
  return best;
}
