// A multi-turn rollout turn by turn: the policy's turns with coloured tokens, the environment's turns
// (tool results, game feedback) labelled as masked. Tokens are matched to turns by turns.ts.
import type { TokenView, TurnView } from '../../worker/protocol.ts';
import type { ColorMode } from './token-style.ts';
import { tokensPerTurn, turnLabel } from './turns.ts';
import { TokenText } from './TokenText.tsx';

interface Props {
  turns: TurnView[];
  tokens: TokenView[];
  mode: ColorMode;
  advantage: number;
}

export function TurnList({ turns, tokens, mode, advantage }: Props) {
  const perTurn = tokensPerTurn(turns, tokens);
  return (
    <ol className="turn-list">
      {turns.map((turn, i) => {
        const turnTokens = perTurn[i];
        return (
          <li key={i} className={`turn turn-${turn.role}${turn.masked ? ' turn-masked' : ''}`}>
            <p className="turn-head">
              <span className="turn-role">{turnLabel(turn.role)}</span>
              {turn.masked && <span className="badge badge-masked">masked (not trained)</span>}
            </p>
            <div className="turn-body">
              {turnTokens ? <TokenText tokens={turnTokens} mode={mode} advantage={advantage} /> : <span className="turn-text">{turn.content}</span>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
