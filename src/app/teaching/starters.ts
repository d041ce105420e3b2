// "Try this" starters: small experiments, each a pure function RunConfig -> RunConfig with a title and what
// to watch for. `applies` says whether it would change the current config (else its button is disabled).
import type { RunConfig } from '../../rl/config/schema.ts';

export interface Starter {
  id: string;
  title: string;
  /** What you will see, in one line. */
  watch: string;
  apply: (config: RunConfig) => RunConfig;
}

type Criterion = RunConfig['rubric']['criteria'][number];

const withCriteria = (config: RunConfig, criteria: Criterion[]): RunConfig => ({ ...config, rubric: { ...config.rubric, criteria } });
const withGrpo = (config: RunConfig, grpo: Partial<RunConfig['grpo']>): RunConfig => ({ ...config, grpo: { ...config.grpo, ...grpo } });

/** A name not yet used in the rubric (criterion names must be unique). */
function freeName(criteria: Criterion[], base: string): string {
  const names = new Set(criteria.map((c) => c.name));
  if (!names.has(base)) return base;
  let i = 2;
  while (names.has(`${base}_${i}`)) i++;
  return `${base}_${i}`;
}

export const STARTERS: readonly Starter[] = [
  {
    id: 'remove-format',
    title: 'Remove the format reward',
    watch: 'Without partial credit for <answer> tags, early steps get little signal: reward stays flat longer.',
    apply: (c) => {
      const kept = c.rubric.criteria.filter((x) => x.kind !== 'xml_format');
      return kept.length === 0 || kept.length === c.rubric.criteria.length ? c : withCriteria(c, kept);
    },
  },
  {
    id: 'format-only',
    title: 'Reward only the format',
    // Observed on the default preset (issue 14): tiny-arith already writes the tags, so the format reward is
    // near its maximum from step 1 and only accuracy moves (down). The text says that, not a rise.
    watch: 'The model already writes the tags, so the reward sits near its top from step 1 and says nothing about answers: watch eval accuracy drift while reward stays high.',
    apply: (c) => {
      const criteria = c.rubric.criteria.map((x) =>
        x.kind === 'xml_format' ? { ...x, weight: 1 } : { ...x, weight: 0 },
      );
      if (!criteria.some((x) => x.kind === 'xml_format')) {
        criteria.push({ name: freeName(criteria, 'xml_format'), kind: 'xml_format', weight: 1, params: {} });
      }
      return withCriteria(c, criteria);
    },
  },
  {
    id: 'group-size-2',
    title: 'Group size 2 (then 16)',
    watch: 'With G = 2 many groups score alike and teach nothing (zero-std fraction up); run G = 16 and compare.',
    apply: (c) => withGrpo(c, { groupSize: c.grpo.groupSize === 2 ? 16 : 2 }),
  },
  {
    id: 'lr-x10',
    title: 'Learning rate ×10',
    // Observed on the default preset (issue 14): reward and accuracy fall within a few steps while the
    // answers stay well-formed; no jump first, and no gibberish at this size.
    watch: 'Steps get too big: reward and eval accuracy fall within a few steps while answers stay well-formed: the update overshoots.',
    apply: (c) => withGrpo(c, { learningRate: Math.min(1, c.grpo.learningRate * 10) }),
  },
  {
    id: 'kl-penalty',
    title: 'KL penalty on (β 0.04)',
    watch: 'A frozen reference model holds the policy back: the KL curve appears and learning is slower but steadier.',
    apply: (c) => withGrpo(c, { beta: 0.04 }),
  },
  {
    id: 'dr-grpo',
    title: 'Dr. GRPO: no std scaling',
    watch: 'Advantages are r − mean, not divided by the std: easy and hard prompts weigh less (arXiv:2503.20783).',
    apply: (c) => withGrpo(c, { scaleRewards: 'none', lossType: 'dr_grpo' }),
  },
];

/** True when the starter would change this config. */
export function starterApplies(starter: Starter, config: RunConfig): boolean {
  return JSON.stringify(starter.apply(config)) !== JSON.stringify(config);
}
