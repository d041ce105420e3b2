// The group-relative judge (llm_judge mode "group") against a scripted chat-completions server on 127.0.0.1:
// one request per prompt, the shared prefix sent once, and a reply taken only whole (wrong length, out of range,
// not JSON, hostile or slow replies fail the whole group with one message and score 0; none is applied in part).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig } from '../config/schema.ts';
import { mappingNotes } from '../export/trl-config.ts';
import { groupIndices, MAX_GROUP, parseGroupScores } from './judge-group.ts';
import { Rubric } from './rubric.ts';
import { startScriptedChatServer, type ScriptedChatServer } from './testing/chat-server.ts';
import type { CriterionParams, ScoreContext } from './types.ts';

let server: ScriptedChatServer;
beforeAll(async () => {
  server = await startScriptedChatServer();
});
afterAll(() => server.close());

const ctx = (prompt: string, completion: string, answer = '8'): ScoreContext => ({ prompt, completion, answer });

async function judge(ctxs: ScoreContext[], params: CriterionParams = {}) {
  const rubric = new Rubric([
    { name: 'rank', kind: 'llm_judge', weight: 1, params: { mode: 'group', baseUrl: server.baseUrl, model: 'judge-1', retries: 0, ...params } },
  ]);
  const batch = await rubric.scoreBatch(ctxs);
  return { scores: batch.scores.rank, errors: batch.errors.rank, message: batch.errorMessages.rank };
}

describe('llm_judge mode "group"', () => {
  it('one request per prompt, prefix once, scores mapped back to their completions wherever they sit in the batch', async () => {
    server.script((_, req) => {
      const text = req.body.messages.at(-1)!.content;
      return text.includes('What is 3+5?') ? '{"scores": [0.9, 0.1, 0.5]}' : '```json\n{"scores": [0.25, 0.75]}\n```';
    });
    const r = await judge([ctx('What is 3+5?', 'eight'), ctx('What is 2+2?', 'four', '4'), ctx('What is 3+5?', 'seven'), ctx('What is 2+2?', 'five', '4'), ctx('What is 3+5?', '8')]);
    expect(r.scores).toEqual([0.9, 0.25, 0.1, 0.75, 0.5]);
    expect(r.errors).toBe(0);
    expect(server.seen).toHaveLength(2);
    const first = server.seen.find((s) => s.body.messages[0].content.includes('3+5'))!;
    const text = first.body.messages[0].content;
    expect(text.split('What is 3+5?')).toHaveLength(2); // the question appears exactly once
    expect(text).toContain('=== Answer 1 of 3 ===\neight\n\n=== Answer 2 of 3 ===\nseven\n\n=== Answer 3 of 3 ===\n8');
    expect(first.body.max_tokens).toBe(64 * 3);
    expect(first.body.temperature).toBe(0);
  });

  it('a group of scores of the wrong length fails the whole group (each completion scores 0, counted), never applied in part', async () => {
    server.script(() => '{"scores": [1, 0]}');
    const r = await judge([ctx('q', 'a'), ctx('q', 'b'), ctx('q', 'c')]);
    expect(r.scores).toEqual([0, 0, 0]);
    expect(r.errors).toBe(3);
    expect(r.message).toBe('judge: the judge gave 2 scores for 3 answers');
    server.script(() => '{"scores": [1, 0, 0.5, 0.5]}');
    expect((await judge([ctx('q', 'a'), ctx('q', 'b'), ctx('q', 'c')])).message).toBe('judge: the judge gave 4 scores for 3 answers');
  });

  it('invalid and hostile replies: one clear message each, nothing applied', async () => {
    const cases: [string, string][] = [
      ['I think answer 1 is best.', 'judge: the judge reply is not JSON (expected {"scores": [...]})'],
      ['{"ranking": [1, 2]}', 'judge: the judge reply has no "scores" list'],
      ['{"scores": [0.5, 1.5]}', 'judge: score 2 is 1.5, outside [0, 1]'],
      ['{"scores": [0.5, -0.1]}', 'judge: score 2 is -0.1, outside [0, 1]'],
      ['{"scores": ["0.5", 1]}', 'judge: score 1 is not a number ("0.5")'],
      ['{"scores": [0.5, null]}', 'judge: score 2 is not a number (null)'],
      ['{"__proto__": {"scores": [1, 1]}, "scores": {"length": 2}}', 'judge: the judge reply has no "scores" list'],
      ['{"scores": [1e999, 0]}', 'judge: score 1 is not a number (null)'], // JSON reads 1e999 as Infinity
      ['[' .repeat(5000) + ']'.repeat(5000), 'judge: the judge gave 1 scores for 2 answers'],
    ];
    for (const [reply, message] of cases) {
      server.script(() => reply);
      const r = await judge([ctx('q', 'a'), ctx('q', 'b')]);
      expect(r.message, reply.slice(0, 40)).toBe(message);
      expect(r.scores).toEqual([0, 0]);
    }
    expect(({} as Record<string, unknown>).scores).toBeUndefined(); // no prototype was polluted
  });

  it('a slow judge times out within timeoutMs per attempt, bounded in total, and scores nothing', async () => {
    server.script(() => ({ content: '{"scores": [1, 1]}', delayMs: 5000 }));
    const t0 = performance.now();
    const r = await judge([ctx('q', 'a'), ctx('q', 'b')], { timeoutMs: 300, retries: 1, retryDelayMs: 10 });
    const elapsed = performance.now() - t0;
    expect(r.message).toMatch(/^judge: no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions within 300 ms \(after 2 attempts\)$/);
    expect(r.scores).toEqual([0, 0]);
    expect(elapsed).toBeGreaterThanOrEqual(590);
    expect(elapsed).toBeLessThan(3000);
  });

  it('a group asked twice is asked once (temperature 0); a single completion is a group of one', async () => {
    server.script(() => '{"scores": [1, 0]}');
    const rubric = new Rubric([{ name: 'rank', kind: 'llm_judge', weight: 1, params: { mode: 'group', baseUrl: server.baseUrl, model: 'm', retries: 0 } }]);
    const group = [ctx('q', 'a'), ctx('q', 'b')];
    expect((await rubric.scoreBatch(group)).scores.rank).toEqual([1, 0]);
    expect((await rubric.scoreBatch(group)).scores.rank).toEqual([1, 0]);
    expect(server.seen).toHaveLength(1);
    server.script(() => '[0.4]');
    expect((await rubric.score(ctx('q2', 'only'))).scores.rank).toBe(0.4);
  });

  it('config validation: group mode needs {completions} in groupTemplate; bad modes are refused', () => {
    const config = (params: CriterionParams) => ({ ...defaultRunConfig(), rubric: { criteria: [{ name: 'j', kind: 'llm_judge', weight: 1, params }] } });
    expect(() => parseRunConfig(config({ mode: 'group', groupTemplate: 'Rank {completion}' }))).toThrow(/param 'groupTemplate' must contain \{completions\}/);
    expect(() => parseRunConfig(config({ mode: 'pairs' }))).toThrow(/param 'mode' must be one of 'single', 'group'/);
    expect(() => parseRunConfig(config({ mode: 'group', template: 'unused in group mode' }))).not.toThrow();
    expect(() => parseRunConfig(config({ template: 'no placeholder' }))).toThrow(/must contain \{completion\}/);
  });

  it('the TRL/verifiers export says the group judge is not ported (its Python scores one completion at a time)', () => {
    const withMode = (mode: string) => parseRunConfig({ ...defaultRunConfig(), rubric: { criteria: [{ name: 'j', kind: 'llm_judge', weight: 1, params: { mode } }] } });
    expect(mappingNotes(withMode('group')).find((n) => n.setting === 'llm_judge mode "group"')?.fidelity).toBe('none');
    expect(mappingNotes(withMode('single')).some((n) => n.setting.startsWith('llm_judge'))).toBe(false);
  });
});

describe('group helpers', () => {
  it('groupIndices keeps first-seen order and splits at MAX_GROUP', () => {
    const ctxs = [...Array.from({ length: MAX_GROUP + 2 }, (_, i) => ({ prompt: 'p', answer: 'a', i })), { prompt: 'p', answer: 'b' }];
    const groups = groupIndices(ctxs);
    expect(groups.map((g) => g.length)).toEqual([MAX_GROUP, 2, 1]);
    expect(groups[1]).toEqual([MAX_GROUP, MAX_GROUP + 1]);
    expect(groups[2]).toEqual([MAX_GROUP + 2]);
  });

  it('parseGroupScores reads the JSON inside prose, and a bare list', () => {
    expect(parseGroupScores('Here you go: {"scores": [0, 0.5, 1]} hope it helps', 3)).toEqual([0, 0.5, 1]);
    expect(parseGroupScores('[1, 0]', 2)).toEqual([1, 0]);
  });
});
