// The Rollouts tab: for the latest (or any kept) step of the current run, each prompt with its G
// completions side by side, their scores, rewards and advantages, and tokens coloured by log-probability or
// by the sign of their advantage. Model output is rendered as text only.
import { useId, useMemo, useState } from 'react';
import { useStore, type PlaygroundState } from '../store.ts';
import { currentRun } from '../store/reduce.ts';
import { LIVE_INTERVAL_MS } from '../store/selectors.ts';
import { useLiveValue } from '../store/use-live.ts';
import { scrubIndex } from './scrub.ts';
import type { ColorMode } from './token-style.ts';
import { StepScrubber } from './StepScrubber.tsx';
import { TokenLegend } from './TokenLegend.tsx';
import { RolloutGroup } from './RolloutGroup.tsx';
import './rollouts.css';

/** Prompts shown before "Show all": a step can hold hundreds of completions. */
const GROUPS_SHOWN = 4;
const NO_ROLLOUTS: never[] = [];
const selectRollouts = (s: PlaygroundState) => currentRun(s)?.rollouts ?? NO_ROLLOUTS;

export function RolloutViewer() {
  // A new run starts the viewer afresh (following its latest step).
  const runId = useStore((s) => s.currentRunId);
  return <RunRollouts key={runId ?? 'none'} />;
}

function RunRollouts() {
  const kept = useLiveValue(selectRollouts, LIVE_INTERVAL_MS);
  const sample = useStore((s) => s.sample);
  const [followLatest, setFollowLatest] = useState(true);
  const [selected, setSelected] = useState<number | null>(null);
  const [mode, setMode] = useState<ColorMode>('logprob');
  const [showAll, setShowAll] = useState(false);
  const modeName = useId();

  const steps = useMemo(() => kept.map((r) => r.step), [kept]);
  const index = scrubIndex(steps, selected, followLatest);
  const shown = index >= 0 ? kept[index] : null;

  if (!shown) {
    if (sample) {
      return (
        <div className="sample" data-testid="sample-view">
          <p className="sample-meta">
            Step {sample.step} · reward <strong>{sample.reward.toFixed(3)}</strong>
          </p>
          <h3>Prompt</h3>
          <pre className="text-block">{sample.prompt}</pre>
          <h3>Completion</h3>
          <pre className="text-block completion">{sample.completion}</pre>
        </div>
      );
    }
    return <p className="empty">Each step’s prompts and their G completions appear here once training starts.</p>;
  }

  const groups = showAll ? shown.groups : shown.groups.slice(0, GROUPS_SHOWN);
  return (
    <div className="rollout-viewer" data-testid="rollout-viewer">
      <div className="rollout-toolbar">
        <StepScrubber
          steps={steps}
          index={index}
          followLatest={followLatest}
          onSelect={(step) => {
            setFollowLatest(false);
            setSelected(step);
          }}
          onFollowLatest={(follow) => {
            setFollowLatest(follow);
            if (!follow) setSelected(steps[index]);
          }}
        />
        <fieldset className="color-mode">
          <legend>Colour tokens by</legend>
          {(
            [
              ['logprob', 'log-probability'],
              ['advantage', 'advantage sign'],
            ] as const
          ).map(([value, label]) => (
            <label key={value}>
              <input type="radio" name={modeName} value={value} checked={mode === value} onChange={() => setMode(value)} /> {label}
            </label>
          ))}
        </fieldset>
      </div>
      <TokenLegend mode={mode} />
      <p className="rollout-summary">
        Step {shown.step}: {shown.groups.length} prompt{shown.groups.length === 1 ? '' : 's'} × {shown.groups[0]?.completions.length ?? 0} completions
        {steps.length > 1 && ` · ${steps.length} steps kept`}
      </p>
      {groups.map((g, i) => (
        <RolloutGroup key={`${shown.step}-${i}`} group={g} index={i} criteria={shown.criteria} mode={mode} />
      ))}
      {shown.groups.length > GROUPS_SHOWN && (
        <button type="button" onClick={() => setShowAll(!showAll)}>
          {showAll ? `Show the first ${GROUPS_SHOWN} prompts` : `Show all ${shown.groups.length} prompts`}
        </button>
      )}
    </div>
  );
}
