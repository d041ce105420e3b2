// A completion's tokens as coloured spans: by log-probability or by the sign of the completion's advantage.
// Context tokens (environment replies, chat markup) are muted and uncoloured; tokens masked out of the loss
// are hatched; special tokens are pills. Model output is untrusted: every token is set as textContent.
// The spans are built directly in the DOM, not as React elements: a step shows thousands of tokens and
// React elements for each (in the development build especially) held the page's main thread for seconds.
import { memo, useLayoutEffect, useRef } from 'react';
import type { TokenView } from '../../worker/protocol.ts';
import { isSpecialToken, tokenBackground, tokenKind, tokenTitle, visibleText, type ColorMode } from './token-style.ts';

interface Props {
  tokens: readonly TokenView[];
  mode: ColorMode;
  advantage: number;
}

/** The spans of the tokens, as DOM nodes (text only: no markup from model output is ever parsed). */
export function tokenSpans(doc: Document, tokens: readonly TokenView[], mode: ColorMode, advantage: number): HTMLSpanElement[] {
  return tokens.map((t) => {
    const special = isSpecialToken(t.text);
    const span = doc.createElement('span');
    span.className = `token token-${tokenKind(t)}${special ? ' token-special' : ''}`;
    const background = tokenBackground(t, mode, advantage);
    if (background) span.style.background = background;
    span.title = tokenTitle(t);
    span.textContent = special ? t.text : visibleText(t.text);
    return span;
  });
}

export const TokenText = memo(function TokenText({ tokens, mode, advantage }: Props) {
  const ref = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) el.replaceChildren(...tokenSpans(el.ownerDocument, tokens, mode, advantage));
  }, [tokens, mode, advantage]);
  return <span ref={ref} className="token-text" />;
});
