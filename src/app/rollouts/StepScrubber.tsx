// Moves the rollout viewer across the kept steps: a slider, previous/next buttons, and a "latest" toggle
// that follows the run live. The slider runs over kept steps (older ones are thinned), labelled by step.
import { useId } from 'react';

interface Props {
  steps: readonly number[];
  index: number;
  followLatest: boolean;
  onSelect: (step: number) => void;
  onFollowLatest: (follow: boolean) => void;
}

export function StepScrubber({ steps, index, followLatest, onSelect, onFollowLatest }: Props) {
  const sliderId = useId();
  const latestId = useId();
  const step = steps[index];
  return (
    <div className="step-scrubber" role="group" aria-label="Step shown">
      <button type="button" onClick={() => onSelect(steps[index - 1])} disabled={index <= 0} title="Previous kept step">
        <span aria-hidden="true">◀</span> Prev
      </button>
      <label htmlFor={sliderId}>Step</label>
      <input
        id={sliderId}
        type="range"
        min={0}
        max={Math.max(0, steps.length - 1)}
        step={1}
        value={index}
        disabled={steps.length < 2}
        aria-valuetext={`step ${step}`}
        onChange={(e) => onSelect(steps[Number(e.target.value)])}
      />
      <span className="range-value" data-testid="rollout-step" aria-hidden="true">
        {step}
      </span>
      <button type="button" onClick={() => onSelect(steps[index + 1])} disabled={index >= steps.length - 1} title="Next kept step">
        Next <span aria-hidden="true">▶</span>
      </button>
      <div className="toggle">
        <input id={latestId} type="checkbox" checked={followLatest} onChange={(e) => onFollowLatest(e.target.checked)} />
        <label htmlFor={latestId} title="Follow the newest step as the run trains">
          Latest
        </label>
      </div>
    </div>
  );
}
