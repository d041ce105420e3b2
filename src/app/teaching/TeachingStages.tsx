// The four stages of one GRPO update, each with the real numbers of one group of the step and a short
// explanation: sample -> score -> group-normalise -> update. Model output is rendered as text only.
import type { CompletionView, GroupView, StepRollouts } from '../../worker/protocol.ts';
import { fmt, pushCounts, STD_EPS, weightedReward, type GroupNormalisation, type Scaling } from './group-math.ts';

export const GRPO_PAPER = 'https://arxiv.org/abs/2402.03300';
export const DR_GRPO_PAPER = 'https://arxiv.org/abs/2503.20783';

export interface StageData {
  rollouts: StepRollouts;
  group: GroupView;
  norm: GroupNormalisation;
  scaling: Scaling;
  /** The step's train metrics (loss, grad_norm, ...), when the store has them. */
  metrics: Record<string, number> | null;
  temperature: number;
  /** Prompts per step in the run's config (the view may hold fewer groups: the worker caps it). */
  promptsPerStep: number;
}

function PaperLink({ section }: { section: string }) {
  return (
    <a href={GRPO_PAPER} target="_blank" rel="noreferrer">
      GRPO paper, {section}
    </a>
  );
}

function CompletionText({ c }: { c: CompletionView }) {
  return (
    <pre className="text-block teach-completion">
      {c.text === '' ? '(empty)' : c.text}
      {c.truncated && <span className="teach-badge"> cut at the token limit</span>}
    </pre>
  );
}

export function SampleStage({ group, temperature }: StageData) {
  return (
    <>
      <p className="teach-explain">
        GRPO asks the model the same prompt {group.completions.length} times (the group size G). Sampling at temperature {temperature} makes
        the answers differ, and those differences are all it learns from: the group is its own baseline, so no value network is needed (
        <PaperLink section="section 4.1" />
        ).
      </p>
      <h4>Prompt</h4>
      <pre className="text-block">{group.prompt}</pre>
      <p className="teach-answer">
        Reference answer (never shown to the model): <strong>{group.answer}</strong>
      </p>
      <h4>The G = {group.completions.length} completions</h4>
      <ol className="teach-completions">
        {group.completions.map((c, i) => (
          <li key={i}>
            <CompletionText c={c} />
          </li>
        ))}
      </ol>
    </>
  );
}

export function ScoreStage({ group, rollouts }: StageData) {
  const criteria = rollouts.criteria;
  const showSum = criteria.length <= 3;
  return (
    <>
      <p className="teach-explain">
        The rubric scores each completion: every criterion gives a score (mostly between 0 and 1), and the reward is the weighted sum,
        reward = Σ weight × score. A criterion with weight 0 is logged but does not count; partial credit (like the format) gives a signal
        before answers are right.
      </p>
      <div className="teach-table-wrap">
        <table className="teach-table" data-testid="teach-scores">
          <thead>
            <tr>
              <th scope="col">#</th>
              {criteria.map((c) => (
                <th scope="col" key={c.name}>
                  {c.name} <span className="teach-weight">×{c.weight}</span>
                </th>
              ))}
              <th scope="col">reward</th>
            </tr>
          </thead>
          <tbody>
            {group.completions.map((c, i) => {
              const w = weightedReward(c.scores, criteria);
              return (
                <tr key={i}>
                  <th scope="row">{i + 1}</th>
                  {w.terms.map((t) => (
                    <td key={t.name}>{fmt(t.score)}</td>
                  ))}
                  <td className="teach-formula">
                    {showSum && `${w.terms.map((t) => `${t.weight}×${fmt(t.score)}`).join(' + ')} = `}
                    <strong>{fmt(c.reward)}</strong>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function scalingNote(scaling: Scaling, norm: GroupNormalisation) {
  if (scaling === 'group') return <>divided by the group&apos;s std (+ ε = {STD_EPS} so that equal rewards give 0, not 0/0), as in the GRPO paper.</>;
  if (scaling === 'batch') {
    return <>divided by the std of all rewards of the step, {fmt(norm.divisor - STD_EPS)} (+ ε = {STD_EPS}): less noisy than a small group&apos;s std.</>;
  }
  return (
    <>
      not divided by any std (scaleRewards none, as{' '}
      <a href={DR_GRPO_PAPER} target="_blank" rel="noreferrer">
        Dr. GRPO
      </a>{' '}
      recommends: the std would weigh very easy and very hard prompts more).
    </>
  );
}

export function NormaliseStage({ group, norm, scaling, rollouts, promptsPerStep }: StageData) {
  const G = norm.rewards.length;
  const divisorText = scaling === 'none' ? '' : ` / ${fmt(norm.divisor)}`;
  return (
    <>
      <p className="teach-explain">
        GRPO only asks how each completion did compared with its siblings. Subtracting the group mean makes better-than-average
        completions positive and worse ones negative; here the difference is {scalingNote(scaling, norm)} The result is the advantage A (
        <PaperLink section="section 4.1.2" />
        ).
      </p>
      <dl className="teach-formulas" data-testid="teach-group-stats">
        <dt>mean</dt>
        <dd>
          ({norm.rewards.map(fmt).join(' + ')}) / {G} = <strong>{fmt(norm.mean)}</strong>
        </dd>
        <dt>std</dt>
        <dd>
          √(Σ (r − mean)² / (G − 1)) = <strong>{fmt(norm.std)}</strong>
        </dd>
      </dl>
      {norm.flat && (
        <p className="teach-flat" role="note">
          All {G} rewards are equal, so every advantage is 0: this prompt teaches nothing this step. Bigger groups, or prompts of the right
          difficulty, avoid this.
        </p>
      )}
      <div className="teach-table-wrap">
        <table className="teach-table" data-testid="teach-advantages">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">reward r</th>
              <th scope="col">advantage A = (r − mean){scaling === 'none' ? '' : ` / ${scaling === 'group' ? '(std + ε)' : '(batch std + ε)'}`}</th>
            </tr>
          </thead>
          <tbody>
            {norm.rewards.map((r, i) => (
              <tr key={i}>
                <th scope="row">{i + 1}</th>
                <td>{fmt(r)}</td>
                <td className="teach-formula">
                  ({fmt(r)} − {fmt(norm.mean)}){divisorText} = <strong className={signClass(norm.advantages[i])}>{fmt(norm.advantages[i])}</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="teach-check">{matchText(norm, group, scaling === 'batch' && rollouts.groups.length < promptsPerStep)}</p>
    </>
  );
}

const signClass = (a: number) => (a > 0 ? 'teach-up' : a < 0 ? 'teach-down' : 'teach-still');

/** Checks the explanation against the advantages the trainer actually used. */
function matchText(norm: GroupNormalisation, group: GroupView, partialBatch: boolean): string {
  const diff = Math.max(...group.completions.map((c, i) => Math.abs(c.advantage - norm.advantages[i])));
  if (diff <= 1e-3 * Math.max(1, ...norm.advantages.map(Math.abs))) return 'These are the advantages the trainer used for this step.';
  if (partialBatch) return 'The trainer divided by the std of every prompt of the step; this page keeps only some of them, so the batch std shown is approximate.';
  return `The trainer used slightly different advantages (largest difference ${fmt(diff)}).`;
}

const METRICS: { key: string; label: string; explain: string }[] = [
  {
    key: 'loss',
    label: 'loss',
    explain: 'the clipped objective, negated; often near 0 because advantages average to 0 in a group: the gradient carries the signal',
  },
  { key: 'grad_norm', label: 'grad norm', explain: 'size of the gradient before clipping to maxGradNorm' },
  { key: 'clip_ratio/region_mean', label: 'clip ratio', explain: 'share of tokens whose probability ratio hit the clip range' },
  { key: 'learning_rate', label: 'learning rate', explain: 'how far AdamW moves the weights this step' },
  { key: 'kl', label: 'KL', explain: 'distance to the frozen reference model (only with beta > 0)' },
];

export function UpdateStage({ group, metrics, rollouts }: StageData) {
  const counts = pushCounts(group.completions);
  return (
    <>
      <p className="teach-explain">
        The update raises the log-probability of every token of a completion with A &gt; 0 and lowers it for A &lt; 0, in proportion to A.
        PPO-style clipping keeps each token&apos;s probability ratio within [1 − ε, 1 + ε], so one step cannot move far; with one pass per
        batch the ratio starts at 1 (
        <PaperLink section="section 4.1.1" />
        ).
      </p>
      <p className="teach-legend">
        <span className="teach-token teach-up">pushed up</span> <span className="teach-token teach-down">pushed down</span>{' '}
        <span className="teach-token teach-ignored">not in the loss</span> — this group: {counts.up} tokens up, {counts.down} down
        {counts.still > 0 && `, ${counts.still} unchanged (A = 0)`}.
      </p>
      <ol className="teach-completions">
        {group.completions.map((c, i) => (
          <li key={i}>
            <p className="teach-tokens" aria-label={`Completion ${i + 1}, advantage ${fmt(c.advantage)}`}>
              <span className={`teach-adv ${signClass(c.advantage)}`}>A = {fmt(c.advantage)}</span>
              {c.tokens.map((t, j) => (
                <span key={j} className={`teach-token ${t.trained ? signClass(c.advantage) : 'teach-ignored'}`}>
                  {t.text}
                </span>
              ))}
            </p>
          </li>
        ))}
      </ol>
      <h4>Step {rollouts.step}: what the update did</h4>
      {metrics ? (
        <dl className="teach-metrics" data-testid="teach-metrics">
          {METRICS.filter((m) => Object.hasOwn(metrics, m.key)).map((m) => (
            <div key={m.key}>
              <dt>{m.label}</dt>
              <dd>
                <strong>{fmt(metrics[m.key])}</strong> <span className="teach-metric-explain">{m.explain}</span>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="empty">The metrics of this step are not in the page any more.</p>
      )}
    </>
  );
}
