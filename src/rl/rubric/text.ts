// Small text helpers shared by criterion kinds. All linear in the input (model output is untrusted and can be
// long): no regular expressions with nested quantifiers, no recursion.

import { XMLParser } from '../parsers/xml.ts';
import type { ScoreContext } from './types.ts';

/** Param spec shared by kinds that can look at one XML field instead of the whole completion. */
export const FIELD_PARAM = {
  type: 'string',
  default: '',
  description: 'XML field to read (e.g. "answer"); empty = the whole completion.',
} as const;

/** Check a `field` param (empty or a valid XML field name); throws naming the problem. */
export function validateField(field: unknown): void {
  if (field !== '') new XMLParser([String(field)]);
}

/**
 * The text a criterion scores: the whole completion when `field` is empty, else the content of the last
 * `<field>` block (undefined when the completion has none).
 */
export function selectText(ctx: ScoreContext, field: string): string | undefined {
  if (field === '') return ctx.completion;
  return new XMLParser([field]).parseField(ctx.completion, field);
}

/** Whitespace-separated words (Unicode whitespace). */
export function words(text: string): string[] {
  return text.split(/\s+/u).filter((w) => w.length > 0);
}

/** Unicode code points, so an emoji or an astral character counts once. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/** Replace {prompt}, {completion} and {answer} in one pass (a value containing "{answer}" stays as it is). */
export function fillTemplate(template: string, ctx: Pick<ScoreContext, 'prompt' | 'completion' | 'answer'>): string {
  return template.replace(/\{(prompt|completion|answer)\}/g, (_, key: 'prompt' | 'completion' | 'answer') => ctx[key]);
}
