// The group-relative judge (llm_judge with mode "group"), as OpenPipe ART's RULER does it: the G completions of
// one prompt go to the judge in one request (the question and reference written once, then every answer), and
// the judge replies with one score in [0, 1] per answer, relative to the others. Completions of the same prompt
// and reference are grouped wherever they sit in the batch; a group larger than MAX_GROUP is split. A reply is
// accepted only whole: valid JSON holding exactly one finite number in [0, 1] per answer, else every completion
// of the group fails with a message saying what was wrong (the rubric then scores them 0 and counts the error).

import type { ScoreContext } from './types.ts';

/** Most completions sent in one group request (a bigger group is split into requests of this size). */
export const MAX_GROUP = 64;

export const DEFAULT_GROUP_TEMPLATE = `You are comparing several answers to the same question.

Question:
{prompt}

Reference answer:
{answer}

{completions}

Score each answer from 0 (worst) to 1 (best), relative to the others: a better answer gets a higher score. Reply with JSON only, one number per answer in order: {"scores": [s1, s2, ...]}`;

/**
 * The answers block: each completion under its own numbered header. A completion can imitate a header; the
 * judge may be fooled by that, as by any text in a completion (reward hacking is shown, not prevented, here).
 */
export function formatCompletions(completions: readonly string[]): string {
  return completions.map((c, i) => `=== Answer ${i + 1} of ${completions.length} ===\n${c}`).join('\n\n');
}

/** Fill {prompt}, {answer} and {completions} in one pass (text inside a value is never substituted again). */
export function fillGroupTemplate(template: string, prompt: string, answer: string, completions: readonly string[]): string {
  const values = { prompt, answer, completions: formatCompletions(completions) };
  return template.replace(/\{(prompt|answer|completions)\}/g, (_, key: keyof typeof values) => values[key]);
}

/** Groups of batch indices: completions that share a prompt and a reference answer, in first-seen order, split at MAX_GROUP. */
export function groupIndices(ctxs: readonly Pick<ScoreContext, 'prompt' | 'answer'>[]): number[][] {
  const byKey = new Map<string, number[][]>();
  const order: number[][] = [];
  ctxs.forEach((ctx, i) => {
    const key = `${ctx.prompt}\u0000${ctx.answer}`;
    let chunks = byKey.get(key);
    if (!chunks) byKey.set(key, (chunks = []));
    let last = chunks.at(-1);
    if (!last || last.length >= MAX_GROUP) {
      last = [];
      chunks.push(last);
      order.push(last);
    }
    last.push(i);
  });
  return order;
}

/**
 * The JSON value in a model's reply: the whole text, else a ```json fence, else the span from the first { or [
 * to the last } or ]. Throws when none of these parses. (JSON.parse makes "__proto__" an own key: no pollution.)
 */
export function jsonInReply(text: string, who = 'the judge reply', expected = '{"scores": [...]}'): unknown {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  if (fence) candidates.push(fence[1].trim());
  for (const [open, close] of [['{', '}'], ['[', ']']]) {
    const a = text.indexOf(open);
    const b = text.lastIndexOf(close);
    if (a !== -1 && b > a) candidates.push(text.slice(a, b + 1));
  }
  for (const c of candidates) {
    try {
      return JSON.parse(c);
    } catch {
      // try the next reading
    }
  }
  throw new Error(`${who} is not JSON (expected ${expected})`);
}

/**
 * Read a group verdict: {"scores": [...]} (or a bare array) with exactly `n` numbers in [0, 1]. Throws naming
 * what is wrong; never returns a partial or clamped result.
 */
export function parseGroupScores(reply: string, n: number): number[] {
  const value = jsonInReply(reply.slice(0, 100_000));
  const scores = Array.isArray(value) ? value : (value as { scores?: unknown } | null)?.scores;
  if (!Array.isArray(scores)) throw new Error('the judge reply has no "scores" list');
  if (scores.length !== n) throw new Error(`the judge gave ${scores.length} scores for ${n} answers`);
  scores.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isFinite(s)) throw new Error(`score ${i + 1} is not a number (${JSON.stringify(s)?.slice(0, 40)})`);
    if (s < 0 || s > 1) throw new Error(`score ${i + 1} is ${s}, outside [0, 1]`);
  });
  return scores as number[];
}
