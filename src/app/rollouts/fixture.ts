// A small, made-up StepRollouts for tests: P prompts x G completions of a few tokens each, with rewards,
// advantages and one multi-turn completion. Not used by the app itself.
import type { CompletionView, StepRollouts, TokenView } from '../../worker/protocol.ts';

const tokens = (texts: string[], logprob = -0.5): TokenView[] => texts.map((text) => ({ text, logprob, trained: true, generated: true }));

export function fixtureRollouts(step: number, prompts = 2, groupSize = 4, tokensPerCompletion = 3): StepRollouts {
  const groups = Array.from({ length: prompts }, (_, p) => {
    const rewards = Array.from({ length: groupSize }, (_, g): number => (g % 2 === 0 ? 1 : 0));
    const mean = rewards.reduce((a, b) => a + b, 0) / groupSize;
    const completions: CompletionView[] = rewards.map((reward, g) => ({
      text: `answer ${p}.${g}`,
      tokens: tokens(Array.from({ length: tokensPerCompletion }, (_, t) => `t${t}`)),
      reward,
      advantage: reward - mean,
      scores: { correct_answer: reward, xml_format: 1 },
      truncated: g === groupSize - 1,
    }));
    return { prompt: `What is ${p} + ${step}?`, answer: String(p + step), completions, rewardMean: mean, rewardStd: 0.5 };
  });
  return {
    step,
    groups,
    criteria: [
      { name: 'correct_answer', kind: 'correct_answer', weight: 1 },
      { name: 'xml_format', kind: 'xml_format', weight: 0.2 },
    ],
  };
}
