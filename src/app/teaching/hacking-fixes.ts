// One-click fixes offered beside a reward-hacking warning, as pure functions RunConfig -> RunConfig for the next
// run: reward correctness (give the task's correctness criterion weight 1, adding it when the rubric lacks it),
// and cap what was exploited (every other rewarded criterion's weight at CAP x the correctness weight, so
// partial credit can no longer outweigh a right answer). A collapse is not hacking: it gets no rubric fix.
import type { RunConfig } from '../../rl/config/schema.ts';
import { createTask } from '../../rl/tasks/index.ts';

export interface RubricFix {
  id: 'reward-correctness' | 'cap-weights';
  label: string;
  apply: (config: RunConfig) => RunConfig;
}

type Criterion = RunConfig['rubric']['criteria'][number];

/** The cap on any other criterion's weight, relative to correctness (the default rubric's format credit is 0.2). */
export const CAP = 0.2;

function correctnessKind(config: RunConfig): Criterion['kind'] | undefined {
  try {
    return createTask(config.task.name, config.task.params).correctnessCriterion as Criterion['kind'];
  } catch {
    return undefined;
  }
}

function freeName(criteria: readonly Criterion[], base: string): string {
  const names = new Set(criteria.map((c) => c.name));
  let name = base;
  for (let i = 2; names.has(name); i++) name = `${base}_${i}`;
  return name;
}

const withCriteria = (config: RunConfig, criteria: Criterion[]): RunConfig => ({ ...config, rubric: { ...config.rubric, criteria } });

/** The fixes that would change this config after a warning of `kind` (none for a collapse or an unknown task). */
export function fixesFor(kind: string, config: RunConfig): RubricFix[] {
  const correct = correctnessKind(config);
  if (kind === 'collapse' || correct === undefined) return [];
  const fixes: RubricFix[] = [];
  const criteria = config.rubric.criteria;
  const own = criteria.find((c) => c.kind === correct);
  if (!own || own.weight <= 0) {
    fixes.push({
      id: 'reward-correctness',
      label: own ? `Reward correctness (${own.name} weight 0 → 1)` : `Add a correctness criterion (${correct}, weight 1)`,
      apply: (c) =>
        withCriteria(
          c,
          own
            ? c.rubric.criteria.map((x) => (x.name === own.name ? { ...x, weight: 1 } : x))
            : [...c.rubric.criteria, { name: freeName(c.rubric.criteria, correct), kind: correct, weight: 1, params: {} }],
        ),
    });
  }
  const cap = CAP * Math.max(own?.weight ?? 0, 1);
  const over = criteria.filter((c) => c.kind !== correct && c.weight > cap);
  if (over.length > 0) {
    fixes.push({
      id: 'cap-weights',
      label: `Cap ${over.map((c) => c.name).join(', ')} at weight ${Number(cap.toFixed(3))}`,
      apply: (c) => withCriteria(c, c.rubric.criteria.map((x) => (over.some((o) => o.name === x.name) ? { ...x, weight: cap } : x))),
    });
  }
  return fixes;
}
