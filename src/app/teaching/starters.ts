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

/** A naive grader, as a weak judge might behave: the bigger the number in <answer>, the better (cut at 99). */
export const GAMEABLE_GRADER_CODE = 'const m = /<answer>(\\d+)<\\/answer>/.exec(completion); return m ? Math.min(Number(m[1]), 99) / 99 : 0;';

export const STARTERS: readonly Starter[] = [
  {
    id: 'remove-format',
    title: 'Remove the format reward',
    // Measured (src/starters-measured.test.ts): tiny-arith already writes the tags, so the format credit was the
    // same for every completion and the run without it is the same run with the reward 0.2 lower.
    watch: 'tiny-arith already writes the tags, so the 0.2 format credit was equal for every completion and taught nothing: the run learns exactly as before, with the reward 0.2 lower.',
    apply: (c) => {
      const kept = c.rubric.criteria.filter((x) => x.kind !== 'xml_format');
      return kept.length === 0 || kept.length === c.rubric.criteria.length ? c : withCriteria(c, kept);
    },
  },
  {
    id: 'format-only',
    title: 'Reward only the format',
    // Measured (src/starters-measured.test.ts): every completion scores 1.0 from step 1, nearly every group has
    // equal rewards (no signal), and eval accuracy does not rise. The text says that, not a rise of the reward.
    watch: 'The model already writes the tags, so the reward is at its top (1.0) from step 1 and nearly every group gives no learning signal: eval accuracy does not improve, however good the reward looks.',
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
    // Measured: zero-std fraction ~0.9 at G = 2, ~0.45 at G = 16.
    watch: 'With G = 2 most groups score alike and teach nothing (zero-std fraction about 0.9); run G = 16 (about 0.45) and compare.',
    apply: (c) => withGrpo(c, { groupSize: c.grpo.groupSize === 2 ? 16 : 2 }),
  },
  {
    id: 'lr-x10',
    title: 'Learning rate ×10',
    // Measured (src/starters-measured.test.ts): reward and accuracy fall within a few steps while the answers
    // stay well-formed (format ~1.0); no jump first, and no gibberish at this size. The page reports a collapse.
    watch: 'Steps get too big: reward and eval accuracy fall within a few steps while answers stay well-formed, and the page reports a collapse: the update overshoots.',
    apply: (c) => withGrpo(c, { learningRate: Math.min(1, c.grpo.learningRate * 10) }),
  },
  {
    id: 'kl-penalty',
    title: 'KL penalty on (β 0.04)',
    // Measured: kl > 0 from step 2, ~0.05-0.13 by step 10; eval accuracy as without the penalty.
    watch: 'A frozen copy of the starting model joins the loss: the KL curve appears and grows as the policy moves away; at β 0.04 this model learns about as fast as without it.',
    apply: (c) => withGrpo(c, { beta: 0.04 }),
  },
  {
    id: 'dr-grpo',
    title: 'Dr. GRPO: no std scaling',
    // Measured: every advantage is r - group mean; eval accuracy as with std scaling.
    watch: 'Advantages are r − mean, not divided by the std, so easy and hard prompts weigh less (arXiv:2503.20783); on this model it learns about as fast as GRPO.',
    apply: (c) => withGrpo(c, { scaleRewards: 'none', lossType: 'dr_grpo' }),
  },
  {
    id: 'gameable-grader',
    title: 'A grader that can be gamed',
    // Measured (src/starter-gameable-grader.test.ts; CLI: 40 steps, 128 held-out problems): the warning
    // "reward rising without correctness" at step 18, eval accuracy 0.48 -> 0.03 while the reward rose 0.24 -> 0.49;
    // with the warning's two fixes applied the same run learns (0.48 -> 0.89).
    watch: 'The reward is a grader that prefers bigger answers, and correctness is only logged: the model learns to write bigger numbers, eval accuracy falls toward 0 while the reward rises, and the page warns about reward hacking (about step 18); its buttons add a correctness reward and cap the grader.',
    apply: (c) => {
      if (c.rubric.criteria.some((x) => x.kind === 'custom_code' && x.params.code === GAMEABLE_GRADER_CODE && x.weight > 0)) return c;
      const criteria = c.rubric.criteria.map((x) => ({ ...x, weight: 0 }));
      criteria.push({ name: freeName(criteria, 'bigger_is_better'), kind: 'custom_code', weight: 1, params: { code: GAMEABLE_GRADER_CODE } });
      return withCriteria(c, criteria);
    },
  },
];

/** True when the starter would change this config. */
export function starterApplies(starter: Starter, config: RunConfig): boolean {
  return JSON.stringify(starter.apply(config)) !== JSON.stringify(config);
}
