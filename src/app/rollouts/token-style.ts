// How the rollout viewer colours and labels tokens, as pure functions: a sequential scale for the
// log-probability the sampling policy gave each token, a sign colour for the completion's advantage, and
// the kind of each token (trained, masked out of the loss, or context the policy did not write).
import type { TokenView } from '../../worker/protocol.ts';

/** Log-probabilities at or below this get the darkest colour (p ~ 0.0025): lower is equally "surprising". */
export const LOGPROB_FLOOR = -6;

/** 0 for a certain token (logprob 0), 1 at or below LOGPROB_FLOOR; linear in log-probability between. */
export function surprise(logprob: number): number {
  if (!Number.isFinite(logprob)) return 1;
  return Math.min(1, Math.max(0, logprob / LOGPROB_FLOOR));
}

/**
 * Sequential single-hue scale: pale for likely tokens, deep blue for unlikely ones. Lightness stays at or
 * above 64% so dark text on it keeps its contrast.
 */
export function logprobColor(logprob: number): string {
  const lightness = 96 - 32 * surprise(logprob);
  return `hsl(215 85% ${lightness.toFixed(1)}%)`;
}

export type AdvantageSign = 'positive' | 'negative' | 'zero';

/** Advantages within 1e-9 of zero (a flat group) count as zero: those tokens get no push either way. */
export function advantageSign(advantage: number): AdvantageSign {
  if (advantage > 1e-9) return 'positive';
  if (advantage < -1e-9) return 'negative';
  return 'zero';
}

/** A group whose rewards are all equal (its std is zero up to float noise) gives every completion advantage 0. */
export function isFlatGroup(rewardStd: number): boolean {
  return Math.abs(rewardStd) < 1e-9;
}

export const ADVANTAGE_COLORS: Record<AdvantageSign, string> = {
  positive: 'hsl(152 55% 84%)',
  negative: 'hsl(0 85% 89%)',
  zero: 'hsl(220 14% 92%)',
};

export type TokenKind = 'trained' | 'masked' | 'context';

/** trained: written by the policy and in the loss; masked: written but left out; context: not written by it. */
export function tokenKind(token: TokenView): TokenKind {
  if (!token.generated) return 'context';
  return token.trained ? 'trained' : 'masked';
}

export type ColorMode = 'logprob' | 'advantage';

/** Background of a token, or undefined for context tokens (they get their own muted style instead). */
export function tokenBackground(token: TokenView, mode: ColorMode, advantage: number): string | undefined {
  if (!token.generated) return undefined;
  if (mode === 'advantage') return ADVANTAGE_COLORS[advantageSign(advantage)];
  return token.logprob === null ? undefined : logprobColor(token.logprob);
}

/** Special tokens (chat markup, end of text) are shown as a muted pill, not as text. */
const SPECIAL_TOKEN = /^(<\|[^<>|]*\|>|<\/?s>|<(?:eos|bos|pad|unk|mask|sep|cls|endoftext)>|\[(?:PAD|UNK|CLS|SEP|MASK)\])$/i;

export function isSpecialToken(text: string): boolean {
  return SPECIAL_TOKEN.test(text);
}

/** A token's text with line breaks and tabs made visible (the break itself is kept so lines still wrap). */
export function visibleText(text: string): string {
  return text.replace(/\n/g, '↵\n').replace(/\t/g, '→\t');
}

/** The hover text of a token: its probability, or why it has none. */
export function tokenTitle(token: TokenView): string {
  const kind = tokenKind(token);
  if (kind === 'context') return 'context: not written by the policy, not trained';
  const lp = token.logprob === null ? 'logprob –' : `logprob ${token.logprob.toFixed(3)} · p ${Math.exp(token.logprob).toFixed(3)}`;
  return kind === 'masked' ? `${lp} · masked: not in the loss` : lp;
}

export interface TokenSegment {
  generated: boolean;
  tokens: TokenView[];
}

/** Consecutive tokens split where `generated` flips: a multi-turn rollout's assistant and environment parts. */
export function splitSegments(tokens: readonly TokenView[]): TokenSegment[] {
  const out: TokenSegment[] = [];
  for (const t of tokens) {
    const last = out.at(-1);
    if (last && last.generated === t.generated) last.tokens.push(t);
    else out.push({ generated: t.generated, tokens: [t] });
  }
  return out;
}

/** "+1.23" / "−0.50" / "0.00": the sign always shown, since it is the point. */
export function formatSigned(v: number): string {
  if (advantageSign(v) === 'zero') return '0.00';
  return `${v > 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
}
