// One prompt of the step with its G completions side by side, and the group's reward mean and std: the
// numbers GRPO subtracts and divides by to turn rewards into advantages.
import { memo } from 'react';
import type { GroupView, StepRollouts } from '../../worker/protocol.ts';
import { formatValue } from '../charts/series.ts';
import { isFlatGroup, type ColorMode } from './token-style.ts';
import { CompletionCard } from './CompletionCard.tsx';

interface Props {
  group: GroupView;
  index: number;
  criteria: StepRollouts['criteria'];
  mode: ColorMode;
}

export const RolloutGroup = memo(function RolloutGroup({ group, index, criteria, mode }: Props) {
  const flat = isFlatGroup(group.rewardStd);
  return (
    <section className="rollout-group" aria-labelledby={`group-${index}-title`} data-testid="rollout-group">
      <header className="group-head">
        <h3 id={`group-${index}-title`}>Prompt {index + 1}</h3>
        <p className="group-stats">
          group mean <strong>{formatValue(group.rewardMean)}</strong> · std <strong>{flat ? '0' : formatValue(group.rewardStd)}</strong>
          {flat && <span className="badge" title="All G rewards are equal: every advantage is 0, so this group teaches nothing"> no signal</span>}
        </p>
      </header>
      <div className="group-prompt">
        <pre className="text-block">{group.prompt}</pre>
        <p className="group-answer">
          reference answer: <span className="answer-text">{group.answer}</span>
        </p>
      </div>
      <div className="completion-grid">
        {group.completions.map((c, i) => (
          <CompletionCard key={i} completion={c} index={i} criteria={criteria} mode={mode} />
        ))}
      </div>
    </section>
  );
});
