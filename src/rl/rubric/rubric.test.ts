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

  it('total = sum of weight * score', async () => {
    expect(await rubric.score(ctx('<answer>8</answer>'))).toMatchObject({ total: 1.2, scores: { correct_answer: 1, xml_format: 1 } });
    // correct after normalisation, format 3/4 (text outside the tags)
    const s = await rubric.score(ctx('It is <answer> 8. </answer>'));
    expect(s.scores).toEqual({ correct_answer: 1, xml_format: 0.75 });
    expect(s.total).toBeCloseTo(1 + 0.2 * 0.75, 12);
    // wrong answer in the right format: 0.2
    expect((await rubric.score(ctx('<answer>9</answer>'))).total).toBeCloseTo(0.2, 12);
    // no tags: nothing
    expect((await rubric.score(ctx('8'))).total).toBe(0);
    expect((await rubric.score(ctx('<answer>-3</answer>', '-3'))).scores.correct_answer).toBe(1);
  });

  it('weight 0 logs the criterion without rewarding it', async () => {
    const r = new Rubric([DEFAULT[0], { ...DEFAULT[1], weight: 0 }]);
    const s = await r.score(ctx('x <answer>9</answer>'));
    expect(s.scores.xml_format).toBe(0.75);
    expect(s.total).toBe(0);
  });

  it('a criterion that throws or returns a non-finite number scores 0 and counts an error', async () => {
    const r = new Rubric(
      [
        { name: 'ok', kind: 'correct_answer', weight: 1, params: {} },
        { name: 'bad', kind: 'throws', weight: 5, params: {} },
        { name: 'nan', kind: 'nan', weight: 1, params: {} },
      ],
      testKinds,
    );
    const s = await r.score(ctx('<answer>8</answer>'));
    expect(s).toMatchObject({ total: 1, scores: { ok: 1, bad: 0, nan: 0 }, errors: { ok: 0, bad: 1, nan: 1 } });
    expect(s.errorMessages.bad).toBe('boom');
    expect(s.errorMessages.nan).toMatch(/non-finite/);
  });

  it('scoreBatch returns per-completion arrays and summed error counts', async () => {
    const r = new Rubric(
      [...DEFAULT, { name: 'len', kind: 'length', weight: 0, params: {} }, { name: 'bad', kind: 'throws', weight: 1, params: {} }],
      testKinds,
    );
    const b = await r.scoreBatch([ctx('<answer>8</answer>'), ctx('8'), ctx('<answer>7</answer>')]);
    expect(b.total.map((x) => +x.toFixed(12))).toEqual([1.2, 0, 0.2]);
    expect(b.scores.correct_answer).toEqual([1, 0, 0]);
    expect(b.scores.len).toEqual([18, 1, 18]);
    expect(b.errors).toEqual({ correct_answer: 0, xml_format: 0, len: 0, bad: 3 });
    expect(b.errorMessages).toEqual({ bad: 'boom' });
    expect(r.names).toEqual(['correct_answer', 'xml_format', 'len', 'bad']);
  });

  it('criterion params: fields for xml_format, field for correct_answer', async () => {
    const r = new Rubric([
      { name: 'fmt', kind: 'xml_format', weight: 1, params: { fields: 'think, answer' } },
      { name: 'acc', kind: 'correct_answer', weight: 1, params: { field: 'result' } },
    ]);
    expect((await r.score(ctx('<think>5+3</think><answer>8</answer>'))).scores.fmt).toBe(1);
    expect((await r.score(ctx('<result>8</result>'))).scores.acc).toBe(1);
  });

  it('refuses invalid rubrics with a clear message', () => {
    expect(() => new Rubric([])).toThrow(/at least one/);
    expect(() => new Rubric([DEFAULT[0], DEFAULT[0]])).toThrow("duplicate criterion name 'correct_answer'");
    expect(() => new Rubric([{ ...DEFAULT[0], kind: 'llm-judge' }])).toThrow(/^unknown criterion kind 'llm-judge' \(known: correct_answer, xml_format, numeric_match, .*llm_judge/);
    expect(() => new Rubric([{ ...DEFAULT[1], params: { feilds: 'a' } }])).toThrow("xml_format: unknown param 'feilds' (known: fields)");
    expect(() => new Rubric([{ ...DEFAULT[1], params: { fields: 3 } }])).toThrow("xml_format: param 'fields' must be a string");
    expect(() => new Rubric([{ ...DEFAULT[1], params: { fields: 'a b' } }])).toThrow(/xml_format: invalid XML field name/);
    expect(() => new Rubric([{ ...DEFAULT[0], weight: Infinity }])).toThrow(/finite/);
    expect(() => new Rubric([{ ...DEFAULT[0], name: 'a/b' }])).toThrow(/criterion name/);
  });
});

describe('Rubric (async criteria)', () => {
  const slow = (ms: number, value: number) => () => new Promise<number>((resolve) => setTimeout(() => resolve(value), ms));
  const kinds: Record<string, CriterionKind> = {
    ...CRITERIA,
    slow_a: { kind: 'slow_a', description: '', params: {}, create: () => slow(150, 0.5) },
    slow_b: { kind: 'slow_b', description: '', params: {}, create: () => slow(150, 0.25) },
    rejects: { kind: 'rejects', description: '', params: {}, create: () => async () => Promise.reject(new Error('network down')) },
    batched: {
      kind: 'batched',
      description: '',
      params: {},
      create: () =>
        Object.assign(() => 1, {
          scoreBatch: async (ctxs: readonly unknown[]) => ctxs.map((_, i) => (i === 1 ? new Error('second failed') : i)),
        }),
    },
    wrong_length: { kind: 'wrong_length', description: '', params: {}, create: () => Object.assign(() => 1, { scoreBatch: async () => [1] }) },
    unprepared: {
      kind: 'unprepared',
      description: '',
      params: {},
      create: () => Object.assign(() => 1, { prepare: async () => Promise.reject(new Error('does not compile')) }),
    },
  };
  const spec = (name: string, kind = name, weight = 1): CriterionSpec => ({ name, kind, weight, params: {} });

  it('awaits async criteria, runs them concurrently, and counts a rejection as an error', async () => {
    const r = new Rubric([spec('slow_a'), spec('slow_b'), spec('rejects')], kinds);
    const t0 = performance.now();
    const [a, b] = await r.scoreEach([ctx('x'), ctx('y')]);
    expect(performance.now() - t0).toBeLessThan(280); // not 4 x 150 ms one after another
    expect(a).toEqual({ total: 0.75, scores: { slow_a: 0.5, slow_b: 0.25, rejects: 0 }, errors: { slow_a: 0, slow_b: 0, rejects: 1 }, errorMessages: { rejects: 'network down' } });
    expect(b.total).toBe(0.75);
  });

  it('uses a criterion\'s scoreBatch when it has one; a wrong result count fails the whole batch for it', async () => {
    const b = await new Rubric([spec('batched'), spec('wrong_length')], kinds).scoreBatch([ctx('a'), ctx('b'), ctx('c')]);
    expect(b.scores.batched).toEqual([0, 0, 2]);
    expect(b.errors).toEqual({ batched: 1, wrong_length: 3 });
    expect(b.errorMessages).toEqual({ batched: 'second failed', wrong_length: 'scoreBatch returned 1 results for 3 completions' });
  });

  it('prepare names the failing criterion', async () => {
    await expect(new Rubric([spec('ok', 'correct_answer'), spec('style', 'unprepared')], kinds).prepare()).rejects.toThrow(
      "criterion 'style': does not compile",
    );
    await expect(new Rubric(DEFAULT).prepare()).resolves.toBeUndefined();
  });

  it('criterionOfKind: the rubric\'s own criterion (its params) or the kind with defaults', async () => {
    const r = new Rubric([{ name: 'acc', kind: 'correct_answer', weight: 0, params: { field: 'result' } }]);
    expect(await r.criterionOfKind('correct_answer')(ctx('<result>8</result>'))).toBe(1);
    expect(await r.criterionOfKind('xml_format')(ctx('<answer>8</answer>'))).toBe(1);
  });

  it('checks params against choices, bounds and each kind\'s own validation', () => {
    const one = (kind: string, params: CriterionSpec['params']) => () => new Rubric([{ name: 'c', kind, weight: 1, params }]);
    expect(one('length_target', { unit: 'lines' })).toThrow("length_target: param 'unit' must be one of 'words', 'chars', 'tokens'");
    expect(one('repetition_penalty', { n: 0 })).toThrow("repetition_penalty: param 'n' must be >= 1");
    expect(one('repetition_penalty', { n: 2.5 })).toThrow("repetition_penalty: param 'n' must be an integer");
    expect(one('regex', { pattern: '(' })).toThrow(/^regex: invalid pattern/);
    expect(one('regex', { pattern: 'a'.repeat(1001) })).toThrow("regex: param 'pattern' must be at most 1000 characters");
    expect(one('llm_judge', { baseUrl: 'https://user:sk-secret@example.com/v1' })).toThrow(/llm_judge: baseUrl must not contain a user name or password/);
  });
});
