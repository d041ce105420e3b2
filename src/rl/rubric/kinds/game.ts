// Game outcome criteria for multi-turn game tasks (guess-number, word-game). They read the environment's
// final state, which follows the GameState convention of src/rl/envs/types.ts: { solved, turns, maxTurns }.
// On a task without such a state they throw, so the rubric counts an error instead of a silent 0.

import type { CriterionFn, CriterionKind, CriterionParams, ScoreContext } from '../types.ts';

interface Outcome {
  solved: boolean;
  turns: number;
  maxTurns: number;
}

function outcome(ctx: ScoreContext): Outcome {
  const s = ctx.state;
  if (!s || typeof s.solved !== 'boolean' || typeof s.turns !== 'number' || typeof s.maxTurns !== 'number') {
    throw new Error('needs a multi-turn game task whose state says solved/turns/maxTurns (guess-number, word-game)');
  }
  return { solved: s.solved, turns: s.turns, maxTurns: s.maxTurns };
}

export const solved: CriterionKind = {
  kind: 'solved',
  description: '1 if the multi-turn game was won (guess-number, word-game), else 0.',
  params: {},
  create: (): CriterionFn => (ctx) => (outcome(ctx).solved ? 1 : 0),
};

export const solvedInTurns: CriterionKind = {
  kind: 'solved_in_turns',
  description:
    'Won within K turns, more for fewer: 1 on the first turn, falling linearly to 1 - shaping on turn K; 0 if not won within K.',
  params: {
    turns: { type: 'number', default: 0, min: 0, integer: true, description: "K; 0 means the environment's turn limit." },
    shaping: { type: 'number', default: 0.5, min: 0, max: 1, description: 'How much of the score depends on speed.' },
  },
  create(params: CriterionParams): CriterionFn {
    const turnsParam = Number(params.turns);
    const shaping = Number(params.shaping);
    return (ctx) => {
      const { solved: won, turns, maxTurns } = outcome(ctx);
      const K = turnsParam > 0 ? turnsParam : maxTurns;
      if (!won || turns > K) return 0;
      return K > 1 ? 1 - (shaping * (turns - 1)) / (K - 1) : 1;
    };
  },
};
