// A new run's name says what differs from the run before it ("lr ×10", "G 2 → 16", "−xml_format"), so the
// Compare tab's runs read as the experiment they are instead of "Run 2 · arithmetic" again and again.
// Built on the one config diff (rl/config/diff.ts); at most two changes are named, then "+N more".
import { diffRunConfigs, type ConfigChange } from '../../rl/config/diff.ts';
import type { RunConfig } from '../../rl/config/schema.ts';

/** Short names for the settings people change most; others go by their last path segment. */
const SHORT: Record<string, string> = {
  'grpo.learningRate': 'lr',
  'grpo.groupSize': 'G',
  'grpo.promptsPerStep': 'prompts',
  'grpo.beta': 'β',
  'grpo.scaleRewards': 'scale',
  'grpo.lossType': 'loss',
  'sampling.temperature': 'temp',
  'sampling.maxNewTokens': 'max tokens',
  'model.id': 'model',
  'task.name': 'task',
};

const MAX_NAMED = 2;

function fmt(v: unknown): string {
  return typeof v === 'number' ? String(Number(v.toPrecision(3))) : typeof v === 'string' ? v : JSON.stringify(v);
}

/** A factor worth saying as ×k or ÷k (a whole number or a half-step, at least 2). */
function niceFactor(r: number): string | null {
  const k = Math.round(r * 2) / 2;
  return k >= 2 && Math.abs(r - k) < 1e-9 * k ? String(k) : null;
}

function changeLabel({ path, a, b }: ConfigChange): string {
  const criterion = path.match(/^rubric\.criteria\[(.+?)\](?:\.(.+))?$/);
  if (criterion) {
    const [, name, field] = criterion;
    if (field === undefined) return a === undefined ? `+${name}` : b === undefined ? `−${name}` : name;
    return `${name} ${field === 'weight' ? 'weight ' : `${field.replace(/^params\./, '')} `}${fmt(a)} → ${fmt(b)}`;
  }
  const label = SHORT[path] ?? path.split('.').at(-1) ?? path;
  if (typeof a === 'number' && typeof b === 'number' && a > 0 && b > 0) {
    const up = niceFactor(b / a);
    if (up) return `${label} ×${up}`;
    const down = niceFactor(a / b);
    if (down) return `${label} ÷${down}`;
  }
  return `${label} ${fmt(a)} → ${fmt(b)}`;
}

/** What changed from `previous` to `next`, in a few words; null when nothing did. */
export function differenceName(previous: RunConfig, next: RunConfig): string | null {
  const changes = diffRunConfigs(previous, next);
  if (changes.length === 0) return null;
  const named = changes.slice(0, MAX_NAMED).map(changeLabel).join(', ');
  return changes.length > MAX_NAMED ? `${named} +${changes.length - MAX_NAMED} more` : named;
}

/** "Run 3 · lr ×10"; the first run (or an unchanged one) goes by its task ("Run 1 · arithmetic"). */
export function runName(n: number, config: RunConfig, previous?: RunConfig): string {
  const diff = previous ? differenceName(previous, config) : null;
  return `Run ${n} · ${diff ?? (previous ? `same as run ${n - 1}` : config.task.name)}`;
}
