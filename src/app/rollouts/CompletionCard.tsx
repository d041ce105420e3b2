// One of a group's G completions: total reward, advantage (coloured by sign), a truncation badge, the score
// of each criterion, and the text token by token (or turn by turn for multi-turn tasks).
import { memo } from 'react';
import type { CompletionView, StepRollouts } from '../../worker/protocol.ts';
import { formatValue } from '../charts/series.ts';
import { advantageSign, formatSigned, type ColorMode } from './token-style.ts';
import { TokenText } from './TokenText.tsx';
import { TurnList } from './TurnList.tsx';

interface Props {
  completion: CompletionView;
  index: number;
  criteria: StepRollouts['criteria'];
  mode: ColorMode;
}

export const CompletionCard = memo(function CompletionCard({ completion: c, index, criteria, mode }: Props) {
  const sign = advantageSign(c.advantage);
  return (
    <article className={`completion-card advantage-${sign}`} data-testid="completion-card" aria-label={`Completion ${index + 1}`}>
      <header className="completion-head">
        <span className="completion-index">#{index + 1}</span>
        <span className="completion-reward" title="Rubric total: sum of weight × score">
          reward <strong>{formatValue(c.reward)}</strong>
        </span>
        <span className={`advantage advantage-${sign}`} title="Group-relative advantage used in the loss (reward minus the group mean, scaled)">
          adv <strong>{formatSigned(c.advantage)}</strong>
        </span>
        {c.truncated && (
          <span className="badge badge-truncated" title="Cut at the maxNewTokens limit before it ended">
            truncated
          </span>
        )}
        {c.numTurns !== undefined && <span className="badge">{c.numTurns === 1 ? '1 turn' : `${c.numTurns} turns`}</span>}
      </header>
      <table className="score-table" aria-label="Scores per criterion">
        <tbody>
          {criteria.map((cr) => (
            <tr key={cr.name}>
              <th scope="row" title={`${cr.kind}, weight ${cr.weight}`}>
                {cr.name} <span className="weight">×{cr.weight}</span>
              </th>
              <td>{formatValue(c.scores[cr.name])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="completion-text">
        {c.turns && c.turns.length > 0 ? (
          <TurnList turns={c.turns} tokens={c.tokens} mode={mode} advantage={c.advantage} />
        ) : c.tokens.length > 0 ? (
          <TokenText tokens={c.tokens} mode={mode} advantage={c.advantage} />
        ) : (
          <span>{c.text}</span>
        )}
      </div>
    </article>
  );
});
