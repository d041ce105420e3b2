// contains: 1 when the text (default: the reference answer) appears in the completion or a field, else 0.
// Give it a negative weight to penalise a phrase.

import { FIELD_PARAM, fillTemplate, selectText, validateField } from '../text.ts';
import type { CriterionFn, CriterionKind, CriterionParams } from '../types.ts';

export const contains: CriterionKind = {
  kind: 'contains',
  description: '1 if the completion (or a field) contains the text, else 0. {answer} and {prompt} in the text are filled in.',
  params: {
    text: { type: 'string', default: '{answer}', maxLength: 1000, description: 'Substring to look for; {answer} is the reference answer.' },
    caseSensitive: { type: 'boolean', default: false, description: 'Match letter case exactly.' },
    field: FIELD_PARAM,
  },
  validate(params) {
    if (String(params.text) === '') throw new Error("param 'text' must not be empty");
    validateField(params.field);
  },
  create(params: CriterionParams): CriterionFn {
    const template = String(params.text);
    const caseSensitive = params.caseSensitive === true;
    const field = String(params.field);
    return (ctx) => {
      let needle = fillTemplate(template, { prompt: ctx.prompt, answer: ctx.answer, completion: '' });
      if (needle === '') throw new Error('nothing to look for: the text is empty once {answer}/{prompt} are filled in');
      let haystack = selectText(ctx, field);
      if (haystack === undefined) return 0;
      if (!caseSensitive) {
        needle = needle.toLowerCase();
        haystack = haystack.toLowerCase();
      }
      return haystack.includes(needle) ? 1 : 0;
    };
  },
};
