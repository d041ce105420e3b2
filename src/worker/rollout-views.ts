// A step's rollout records (src/rl/trainer.ts) -> the StepRollouts view the UI's rollout viewer shows
// (protocol.ts): groups in order, each with its G completions, per-token text and log-probs, scores,
// advantages and, for multi-turn tasks, the conversation turn by turn. Plain text and numbers only.
//
// Size cap: a step can hold many long completions (promptsPerStep up to hundreds, maxNewTokens up to 4096 per
// turn), and every view is cloned to the UI thread. So a view keeps at most MAX_VIEW_GROUPS groups (the first
// ones, in sampling order) and MAX_VIEW_TOKENS tokens per completion (the first ones); `text`, scores and the
// group statistics always describe the whole completion and group.
import type { Tokenizer } from '../engine/tokenizer.ts';
import { besselStd } from '../rl/grpo/advantages.ts';
import type { RolloutRecord } from '../rl/trainer.ts';
import type { CompletionView, GroupView, StepRollouts, TokenView, TurnView } from './protocol.ts';

export const MAX_VIEW_GROUPS = 16;
export const MAX_VIEW_TOKENS = 2000;

type TokenDecoder = Pick<Tokenizer, 'decode'>;

export interface CriterionLabel {
  name: string;
  kind: string;
  weight: number;
}

/** Build the view of one step. `records` are the step's samples: contiguous per group, groups in order. */
export function stepRollouts(step: number, records: readonly RolloutRecord[], tokenizer: TokenDecoder, criteria: readonly CriterionLabel[]): StepRollouts {
  const byGroup = new Map<number, RolloutRecord[]>();
  for (const r of records) {
    if (r.group >= MAX_VIEW_GROUPS) continue;
    const list = byGroup.get(r.group);
    if (list) list.push(r);
    else byGroup.set(r.group, [r]);
  }
  const groups: GroupView[] = [...byGroup.keys()]
    .sort((a, b) => a - b)
    .map((g) => groupView(byGroup.get(g)!, tokenizer));
  return { step, groups, criteria: criteria.map((c) => ({ name: c.name, kind: c.kind, weight: c.weight })) };
}

function groupView(members: RolloutRecord[], tokenizer: TokenDecoder): GroupView {
  const rewards = members.map((r) => r.reward);
  const std = besselStd(rewards);
  return {
    prompt: members[0].prompt,
    answer: members[0].answer,
    completions: members.map((r) => completionView(r, tokenizer)),
    rewardMean: rewards.reduce((a, b) => a + b, 0) / rewards.length,
    // A group of one has no sample std; 0 keeps the message plain JSON-friendly numbers.
    rewardStd: Number.isFinite(std) ? std : 0,
  };
}

function completionView(r: RolloutRecord, tokenizer: TokenDecoder): CompletionView {
  const view: CompletionView = {
    text: r.completion,
    tokens: tokenViews(r, tokenizer),
    reward: r.reward,
    advantage: r.advantage,
    scores: { ...r.scores },
    truncated: r.truncated,
  };
  if (r.messages && r.turns !== undefined) {
    view.turns = r.messages.slice(r.promptMessages ?? 0).map(turnView);
    view.numTurns = r.turns;
  }
  return view;
}

function turnView(m: { role: TurnView['role']; content: string }): TurnView {
  return { role: m.role, content: m.content, masked: m.role !== 'assistant' };
}

function tokenViews(r: RolloutRecord, tokenizer: TokenDecoder): TokenView[] {
  const t = r.tokens;
  const n = Math.min(t.ids.length, MAX_VIEW_TOKENS);
  const out: TokenView[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const lp = t.logprob[k];
    out[k] = {
      text: tokenText(tokenizer, t.ids[k]),
      logprob: Number.isNaN(lp) ? null : lp,
      trained: t.trained[k] === 1,
      generated: t.generated[k] === 1,
    };
  }
  return out;
}

// Token texts, per tokenizer: each id decoded alone (special tokens kept, so they show by name). A byte-level
// tokenizer decodes a lone piece of a multi-byte character as U+FFFD; the completion's `text` stays exact.
const textCache = new WeakMap<TokenDecoder, Map<number, string>>();

export function tokenText(tokenizer: TokenDecoder, id: number): string {
  let cache = textCache.get(tokenizer);
  if (!cache) {
    cache = new Map();
    textCache.set(tokenizer, cache);
  }
  let text = cache.get(id);
  if (text === undefined) {
    text = tokenizer.decode([id]);
    cache.set(id, text);
  }
  return text;
}
