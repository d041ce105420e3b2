// A completion's tokens as coloured spans: by log-probability or by the sign of the completion's advantage.
// Context tokens (environment replies, chat markup) are muted and uncoloured; tokens masked out of the loss
// are hatched; special tokens are pills. Model output is untrusted: every token is a React text node.
import { memo } from 'react';
import type { TokenView } from '../../worker/protocol.ts';
import { isSpecialToken, tokenBackground, tokenKind, tokenTitle, visibleText, type ColorMode } from './token-style.ts';

interface Props {
  tokens: readonly TokenView[];
  mode: ColorMode;
  advantage: number;
}

export const TokenText = memo(function TokenText({ tokens, mode, advantage }: Props) {
  return (
    <span className="token-text">
      {tokens.map((t, i) => {
        const kind = tokenKind(t);
        const special = isSpecialToken(t.text);
        const className = `token token-${kind}${special ? ' token-special' : ''}`;
        return (
          <span key={i} className={className} style={{ background: tokenBackground(t, mode, advantage) }} title={tokenTitle(t)}>
            {special ? t.text : visibleText(t.text)}
          </span>
        );
      })}
    </span>
  );
});
