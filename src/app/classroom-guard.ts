// Which panel owns a config setting, so a classroom link that hides a panel also hides every other control
// that would change that panel's settings (a "Try this" starter editing a hidden rubric, say): hiding the
// rubric must mean the class cannot change it, not only that they cannot see it.
import { diffRunConfigs } from '../rl/config/diff.ts';
import type { RunConfig } from '../rl/config/schema.ts';
import type { ControlId } from './classroom.ts';

/** The hideable panel that shows the setting at `path` (a diff path such as "grpo.learningRate"). */
export function ownerOf(path: string): ControlId | null {
  const head = path.split(/[.[]/)[0];
  if (head === 'model') return 'model';
  if (head === 'task') return 'task';
  if (head === 'rubric') return 'rubric';
  if (head === 'grpo' || head === 'sampling' || head === 'eval' || head === 'steps' || head === 'seed') return 'hyperparameters';
  return null;
}

/** True when going from `before` to `after` changes a setting whose panel is hidden. */
export function changesHidden(before: RunConfig, after: RunConfig, hidden: ReadonlySet<ControlId>): boolean {
  return diffRunConfigs(before, after).some((d) => {
    const owner = ownerOf(d.path);
    return owner !== null && hidden.has(owner);
  });
}
