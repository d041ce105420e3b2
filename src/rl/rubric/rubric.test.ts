import { describe, expect, it } from 'vitest';
import { CRITERIA, normalizeAnswer } from './criteria.ts';
import { Rubric } from './rubric.ts';
import type { CriterionKind, CriterionSpec } from './types.ts';

const DEFAULT: CriterionSpec[] = [
  { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
  { name: 'xml_format', kind: 'xml_format', weight: 0.2, params: {} },
];
const ctx = (completion: string, answer = '8') => ({ prompt: '3+5', completion, answer });

/** A registry with two misbehaving kinds, for error handling. */
const testKinds: Record<string, CriterionKind> = {
  ...CRITERIA,
  throws: { kind: 'throws', description: '', params: {}, create: () => () => { throw new Error('boom'); } },
  nan: { kind: 'nan', description: '', params: {}, create: () => () => NaN },
  length: { kind: 'length', description: '', params: {}, create: () => ({ completion }) => completion.length },
};

describe('criteria', () => {
  it('normalizeAnswer', () => {
    expect(normalizeAnswer('  8 ')).toBe('8');
    expect(normalizeAnswer('08')).toBe('8');
    expect(normalizeAnswer('+8.50')).toBe('8.5');
    expect(normalizeAnswer('-0')).toBe('0');
    expect(normalizeAnswer('8.')).toBe('8');
    expect(normalizeAnswer('Paris  France')).toBe('paris france');
    expect(normalizeAnswer('-3')).toBe('-3');
  });
});

describe('Rubric', () => {
  const rubric = new Rubric(DEFAULT);

  it('total = sum of weight * score', () => {
    expect(rubric.score(ctx('<answer>8</answer>'))).toMatchObject({ total: 1.2, scores: { correct_answer: 1, xml_format: 1 } });
    // correct after normalisation, format 3/4 (text outside the tags)
    const s = rubric.score(ctx('It is <answer> 8. </answer>'));
    expect(s.scores).toEqual({ correct_answer: 1, xml_format: 0.75 });
    expect(s.total).toBeCloseTo(1 + 0.2 * 0.75, 12);
    // wrong answer in the right format: 0.2
    expect(rubric.score(ctx('<answer>9</answer>')).total).toBeCloseTo(0.2, 12);
    // no tags: nothing
    expect(rubric.score(ctx('8')).total).toBe(0);
    expect(rubric.score(ctx('<answer>-3</answer>', '-3')).scores.correct_answer).toBe(1);
  });

  it('weight 0 logs the criterion without rewarding it', () => {
    const r = new Rubric([DEFAULT[0], { ...DEFAULT[1], weight: 0 }]);
    const s = r.score(ctx('x <answer>9</answer>'));
    expect(s.scores.xml_format).toBe(0.75);
    expect(s.total).toBe(0);
  });

  it('a criterion that throws or returns a non-finite number scores 0 and counts an error', () => {
    const r = new Rubric(
      [
        { name: 'ok', kind: 'correct_answer', weight: 1, params: {} },
        { name: 'bad', kind: 'throws', weight: 5, params: {} },
        { name: 'nan', kind: 'nan', weight: 1, params: {} },
      ],
      testKinds,
    );
    const s = r.score(ctx('<answer>8</answer>'));
    expect(s).toMatchObject({ total: 1, scores: { ok: 1, bad: 0, nan: 0 }, errors: { ok: 0, bad: 1, nan: 1 } });
    expect(s.errorMessages.bad).toBe('boom');
    expect(s.errorMessages.nan).toMatch(/non-finite/);
  });

  it('scoreBatch returns per-completion arrays and summed error counts', () => {
    const r = new Rubric(
      [...DEFAULT, { name: 'len', kind: 'length', weight: 0, params: {} }, { name: 'bad', kind: 'throws', weight: 1, params: {} }],
      testKinds,
    );
    const b = r.scoreBatch([ctx('<answer>8</answer>'), ctx('8'), ctx('<answer>7</answer>')]);
    expect(b.total.map((x) => +x.toFixed(12))).toEqual([1.2, 0, 0.2]);
    expect(b.scores.correct_answer).toEqual([1, 0, 0]);
    expect(b.scores.len).toEqual([18, 1, 18]);
    expect(b.errors).toEqual({ correct_answer: 0, xml_format: 0, len: 0, bad: 3 });
    expect(b.errorMessages).toEqual({ bad: 'boom' });
    expect(r.names).toEqual(['correct_answer', 'xml_format', 'len', 'bad']);
  });

  it('criterion params: fields for xml_format, field for correct_answer', () => {
    const r = new Rubric([
      { name: 'fmt', kind: 'xml_format', weight: 1, params: { fields: 'think, answer' } },
      { name: 'acc', kind: 'correct_answer', weight: 1, params: { field: 'result' } },
    ]);
    expect(r.score(ctx('<think>5+3</think><answer>8</answer>')).scores.fmt).toBe(1);
    expect(r.score(ctx('<result>8</result>')).scores.acc).toBe(1);
  });

  it('refuses invalid rubrics with a clear message', () => {
    expect(() => new Rubric([])).toThrow(/at least one/);
    expect(() => new Rubric([DEFAULT[0], DEFAULT[0]])).toThrow("duplicate criterion name 'correct_answer'");
    expect(() => new Rubric([{ ...DEFAULT[0], kind: 'llm_judge' }])).toThrow("unknown criterion kind 'llm_judge' (known: correct_answer, xml_format)");
    expect(() => new Rubric([{ ...DEFAULT[1], params: { feilds: 'a' } }])).toThrow("xml_format: unknown param 'feilds' (known: fields)");
    expect(() => new Rubric([{ ...DEFAULT[1], params: { fields: 3 } }])).toThrow("xml_format: param 'fields' must be a string");
    expect(() => new Rubric([{ ...DEFAULT[1], params: { fields: 'a b' } }])).toThrow(/xml_format: invalid XML field name/);
    expect(() => new Rubric([{ ...DEFAULT[0], weight: Infinity }])).toThrow(/finite/);
    expect(() => new Rubric([{ ...DEFAULT[0], name: 'a/b' }])).toThrow(/criterion name/);
  });
});
