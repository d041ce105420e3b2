// length_target: shaped reward for length. 1 at the target length, falling off with distance: linearly to 0
// at target +- width, or as a Gaussian exp(-(d / width)^2 / 2). Length in words, characters (code points)
// or tokens (tokens: the whole completion, from the trainer's completionTokens).

import { codePoints, FIELD_PARAM, selectText, validateField, words } from '../text.ts';
import type { CriterionFn, CriterionKind, CriterionParams, ScoreContext } from '../types.ts';

/** The shaping function: 1 at distance 0. */
export function lengthScore(length: number, target: number, width: number, shape: string): number {
  const d = Math.abs(length - target) / width;
  return shape === 'gaussian' ? Math.exp(-0.5 * d * d) : Math.max(0, 1 - d);
}

function measure(ctx: ScoreContext, text: string, unit: string): number {
  if (unit === 'words') return words(text).length;
  if (unit === 'chars') return codePoints(text).length;
  if (ctx.completionTokens === undefined) throw new Error('needs the completion length in tokens (completionTokens), which this caller did not give');
  return ctx.completionTokens;
}

export const lengthTarget: CriterionKind = {
  kind: 'length_target',
  description: '1 at the target length, falling off linearly (0 at target +- width) or as a Gaussian of std width.',
  params: {
    target: { type: 'number', default: 50, min: 0, description: 'Target length in `unit`.' },
    unit: { type: 'string', default: 'words', choices: ['words', 'chars', 'tokens'], description: 'Count words, characters (code points) or tokens.' },
    width: { type: 'number', default: 25, min: 1e-9, description: 'Linear: distance at which the score reaches 0. Gaussian: the std.' },
    shape: { type: 'string', default: 'linear', choices: ['linear', 'gaussian'], description: 'Fall-off shape.' },
    field: FIELD_PARAM,
  },
  validate(params) {
    validateField(params.field);
    if (params.unit === 'tokens' && params.field !== '') throw new Error("unit 'tokens' measures the whole completion: leave 'field' empty");
  },
  create(params: CriterionParams): CriterionFn {
    const target = Number(params.target);
    const width = Number(params.width);
    const unit = String(params.unit);
    const shape = String(params.shape);
    const field = String(params.field);
    return (ctx) => {
      const text = selectText(ctx, field);
      if (text === undefined) return 0;
      return lengthScore(measure(ctx, text, unit), target, width, shape);
    };
  },
};
