// The Learn tab: one GRPO update walked through in four stages (sample -> score -> group-normalise ->
// update) with the real numbers of the latest step of the current run. Before any step it explains what
// it will show and offers to take exactly one step.
import { useMemo, useState } from 'react';
import { currentRun, isActive, useStore, type PlaygroundState } from '../store.ts';
import { useShareDecisionPending } from '../share/share-link-store.ts';
import { instructiveGroup, normaliseStep, type Scaling } from './group-math.ts';
import { GRPO_PAPER, NormaliseStage, SampleStage, ScoreStage, UpdateStage, type StageData } from './TeachingStages.tsx';
import './teaching.css';

const STAGES = [
  { id: 'sample', title: '1. Sample', render: SampleStage },
  { id: 'score', title: '2. Score', render: ScoreStage },
  { id: 'normalise', title: '3. Group-normalise', render: NormaliseStage },
  { id: 'update', title: '4. Update', render: UpdateStage },
] as const;

/** The run whose latest step is explained: the current run, else the last one (e.g. after Reset). */
const selectRun = (s: PlaygroundState) => currentRun(s) ?? s.runs.at(-1) ?? null;

function BeforeAnyStep() {
  const status = useStore((s) => s.status);
  const stepOnce = useStore((s) => s.stepOnce);
  // A shared link waiting for "Run this code?" must be decided before anything runs.
  const linkPending = useShareDecisionPending();
  const busy = isActive(status) && status !== 'paused';
  return (
    <div className="teach-intro">
      <p>
        Teaching mode walks through one GRPO update with the real numbers of a step: the model <strong>samples</strong> a group of
        answers to each prompt, the rubric <strong>scores</strong> them, GRPO turns the scores into <strong>group-relative
        advantages</strong>, and the <strong>update</strong> makes better-than-average answers more likely (
        <a href={GRPO_PAPER} target="_blank" rel="noreferrer">
          DeepSeekMath, arXiv:2402.03300
        </a>
        ).
      </p>
      <p>
        {busy
          ? 'Waiting for the first step of the run…'
          : linkPending
            ? 'First decide about the shared link above.'
            : 'Take one step to see it with this run’s numbers (the run then waits, paused).'}
      </p>
      <button type="button" className="primary" onClick={stepOnce} disabled={busy || linkPending}>
        Take one step
      </button>
    </div>
  );
}

export function TeachingPanel() {
  const run = useStore(selectRun);
  const [stage, setStage] = useState(0);
  const [chosenGroup, setChosenGroup] = useState<number | null>(null);

  const rollouts = run?.rollouts.at(-1) ?? null;
  const scaling: Scaling = run?.config.grpo.scaleRewards ?? 'group';
  const norms = useMemo(() => (rollouts ? normaliseStep(rollouts, scaling) : []), [rollouts, scaling]);

  if (!run || !rollouts || rollouts.groups.length === 0) return <BeforeAnyStep />;

  const groupIndex = chosenGroup !== null && chosenGroup < norms.length ? chosenGroup : instructiveGroup(norms);
  const metrics = run.train.find((p) => p.step === rollouts.step)?.metrics ?? null;
  const data: StageData = {
    rollouts,
    group: rollouts.groups[groupIndex],
    norm: norms[groupIndex],
    scaling,
    metrics,
    temperature: run.config.sampling.temperature,
    promptsPerStep: run.config.grpo.promptsPerStep,
  };
  const Stage = STAGES[stage].render;

  return (
    <div className="teach" data-testid="teaching">
      <div className="teach-head">
        <p className="teach-context">
          Step {rollouts.step} of {run.name}
        </p>
        {rollouts.groups.length > 1 && (
          <label className="teach-group-pick">
            Prompt{' '}
            <select value={groupIndex} onChange={(e) => setChosenGroup(Number(e.target.value))}>
              {norms.map((n, i) => (
                <option key={i} value={i}>
                  {i + 1} of {norms.length}
                  {n.flat ? ' (all rewards equal)' : ''}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <nav aria-label="Stages of one GRPO update">
        <ol className="teach-stages">
          {STAGES.map((s, i) => (
            <li key={s.id}>
              <button type="button" aria-current={i === stage ? 'step' : undefined} onClick={() => setStage(i)}>
                {s.title}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <section className="teach-stage" aria-labelledby="teach-stage-title" data-stage={STAGES[stage].id}>
        <h3 id="teach-stage-title" aria-live="polite">
          {STAGES[stage].title}
        </h3>
        <Stage {...data} />
      </section>
      <div className="teach-nav">
        <button type="button" onClick={() => setStage(stage - 1)} disabled={stage === 0}>
          ← Back
        </button>
        <button type="button" className="primary" onClick={() => setStage(stage + 1)} disabled={stage === STAGES.length - 1}>
          Next →
        </button>
      </div>
    </div>
  );
}
