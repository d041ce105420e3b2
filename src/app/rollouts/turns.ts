// Pairs a multi-turn rollout's turns with its tokens: the i-th assistant turn gets the i-th run of generated
// tokens. When the counts differ (the tokens do not line up with the turns), no turn gets tokens and the
// viewer shows each turn's text instead.
import type { TokenView, TurnView } from '../../worker/protocol.ts';
import { splitSegments } from './token-style.ts';

/** For each turn, its tokens (assistant turns whose tokens line up) or null (show the turn's text). */
export function tokensPerTurn(turns: readonly TurnView[], tokens: readonly TokenView[]): (TokenView[] | null)[] {
  const generated = splitSegments(tokens).filter((s) => s.generated);
  const aligned = generated.length === turns.filter((t) => t.role === 'assistant').length;
  let next = 0;
  return turns.map((t) => (t.role === 'assistant' && aligned ? generated[next++].tokens : null));
}

/** The label of a turn's speaker: the policy is "model", everything else is the environment. */
export function turnLabel(role: TurnView['role']): string {
  if (role === 'assistant') return 'model';
  return role === 'tool' ? 'environment (tool)' : `environment (${role})`;
}
