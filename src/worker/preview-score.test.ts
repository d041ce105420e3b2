// The rubric preview's scoring with the real Rubric and the real QuickJS sandbox (Node).
import { describe, expect, it } from 'vitest';
import { JUDGE_SKIPPED, scorePreview } from './preview-score.ts';
import type { PreviewRequest, PreviewSample } from './preview-protocol.ts';

const samples: PreviewSample[] = [
  { prompt: '3+5', answer: '8', completion: '<answer>8</answer>' },
  { prompt: '3+5', answer: '8', completion: '8' },
  { prompt: '3+5', answer: '8', completion: '<answer>7</answer>' },
];

const request = (criteria: PreviewRequest['criteria'], callJudge = false): PreviewRequest => ({ criteria, samples, callJudge });

describe('scorePreview', () => {
  it('scores each criterion with partial credit and weights the total like training', async () => {
    const result = await scorePreview(
      request([
        { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
        { name: 'xml_format', kind: 'xml_format', weight: 0.2, params: {} },
      ]),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.rows.map((r) => r.scores.correct_answer)).toEqual([1, 0, 0]);
    const format = result.rows.map((r) => r.scores.xml_format);
    expect(format[0]).toBe(1);
    expect(format[2]).toBe(1);
    expect(format[1]).toBeLessThan(1);
    result.rows.forEach((r) => expect(r.total).toBeCloseTo(r.scores.correct_answer + 0.2 * r.scores.xml_format, 12));
  });

  it('runs custom code in the sandbox and reports a syntax error on every sample', async () => {
    const ok = await scorePreview(request([{ name: 'len', kind: 'custom_code', weight: 1, params: { code: 'return completion.length' } }]));
    if (!ok.ok) throw new Error(ok.error);
    expect(ok.rows.map((r) => r.scores.len)).toEqual([18, 1, 18]);
    expect(ok.rows.map((r) => r.total)).toEqual([18, 1, 18]);

    const broken = await scorePreview(request([{ name: 'len', kind: 'custom_code', weight: 1, params: { code: 'return (' } }]));
    if (!broken.ok) throw new Error(broken.error);
    for (const row of broken.rows) {
      expect(row.scores.len).toBe(0);
      expect(row.errors.len).toMatch(/does not compile: SyntaxError/);
    }
  });

  it('stops an infinite loop at the time limit and says so, per sample', async () => {
    const result = await scorePreview(
      request([
        { name: 'loop', kind: 'custom_code', weight: 1, params: { code: 'if (completion === "8") { while (true) {} } return 1', timeLimitMs: 30 } },
      ]),
    );
    if (!result.ok) throw new Error(result.error);
    expect(result.rows[0].scores.loop).toBe(1);
    expect(result.rows[1].errors.loop).toMatch(/time limit \(30 ms\)/);
    expect(result.rows[1].scores.loop).toBe(0);
    expect(result.rows[2].scores.loop).toBe(1);
  });

  it('leaves judge criteria out unless asked, and calls them with the given key when asked', async () => {
    const judge = { name: 'judge', kind: 'llm_judge', weight: 0.5, params: { baseUrl: 'https://judge.example/v1', retries: 0 } };
    const skipped = await scorePreview(request([{ name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} }, judge]));
    if (!skipped.ok) throw new Error(skipped.error);
    expect(skipped.criteria.find((c) => c.name === 'judge')?.skipped).toBe(JUDGE_SKIPPED);
    expect(skipped.rows[0]).toMatchObject({ total: 1, scores: { correct_answer: 1 } });
    expect('judge' in skipped.rows[0].scores).toBe(false);

    const seen: string[] = [];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      seen.push(String((init.headers as Record<string, string>).Authorization ?? (init.headers as Record<string, string>).authorization));
      return new Response(JSON.stringify({ choices: [{ message: { content: 'Score: 10' } }] }), { status: 200 });
    }) as unknown as typeof fetch;
    const called = await scorePreview(request([judge], true), { judgeKey: () => 'sk-test', fetch: fakeFetch });
    if (!called.ok) throw new Error(called.error);
    expect(called.rows.map((r) => r.scores.judge)).toEqual([1, 1, 1]);
    expect(called.rows[0].total).toBe(0.5);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen[0]).toBe('Bearer sk-test');
  });

  it('reports a rubric that cannot be built as one message', async () => {
    const result = await scorePreview(request([{ name: 'r', kind: 'regex', weight: 1, params: { pattern: '(' } }]));
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/regex: invalid pattern/) });
  });
});
