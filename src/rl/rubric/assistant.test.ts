// The rubric assistant against a scripted chat-completions server on 127.0.0.1: valid, invalid and hostile rubric
// JSON and slow replies. Valid criteria come back as proposals with their reasons; every bad one comes back as a
// rejection with its message, never as a criterion; a slow server fails within the timeout; nothing is applied
// until acceptProposals, and what it builds passes the run config's validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, parseRunConfig } from '../config/schema.ts';
import { acceptProposals, assistantMessages, MAX_CRITERIA, readSuggestion, suggestRubric, type AssistantEndpoint, type SuggestRequest } from './assistant.ts';
import { MAX_REPLY_BYTES } from './judge.ts';
import { startScriptedChatServer, type ScriptedChatServer } from './testing/chat-server.ts';

let server: ScriptedChatServer;
let endpoint: AssistantEndpoint;
beforeAll(async () => {
  server = await startScriptedChatServer();
  endpoint = { baseUrl: server.baseUrl, model: 'designer', timeoutMs: 5000, retries: 0, retryDelayMs: 10, maxTokens: 1024 };
});
afterAll(() => server.close());

const request: SuggestRequest = {
  task: 'Add two numbers and answer inside <answer></answer>.',
  examples: [{ prompt: 'What is 3+5?', answer: '8', completions: ['<answer>8</answer>', 'eight'] }],
  existing: [{ name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} }],
};

const VALID = JSON.stringify({
  criteria: [
    { name: 'format', kind: 'xml_format', weight: 0.2, params: {}, reason: 'Partial credit for the\n <answer> tags, early signal.' },
    { name: 'short', kind: 'length_target', weight: 0.1, params: { target: 5, unit: 'words' }, reason: 'Answers are one number.' },
    { name: 'grader', kind: 'llm_judge', weight: 0.3, params: { parse: 'yes_no', template: 'Is {completion} right for {prompt}?' } },
  ],
});

describe('suggestRubric', () => {
  it('a valid reply: proposals with their params and one-line reasons; the request carries the task, examples, kinds and existing rubric', async () => {
    server.script(() => 'Here is my rubric:\n```json\n' + VALID + '\n```');
    const s = await suggestRubric(request, endpoint, { apiKey: 'sk-local' });
    expect(s.rejected).toEqual([]);
    expect(s.proposals.map((p) => [p.criterion.name, p.criterion.kind, p.criterion.weight])).toEqual([
      ['format', 'xml_format', 0.2],
      ['short', 'length_target', 0.1],
      ['grader', 'llm_judge', 0.3],
    ]);
    expect(s.proposals[0].reason).toBe('Partial credit for the <answer> tags, early signal.');
    expect(s.proposals[1].criterion.params).toEqual({ target: 5, unit: 'words' });
    expect(s.proposals[2].reason).toBe('(no reason given)');
    // a proposed judge calls the assistant's own endpoint and model
    expect(s.proposals[2].criterion.params).toMatchObject({ baseUrl: server.baseUrl, model: 'designer' });
    const sent = server.seen[0];
    expect(sent.authorization).toBe('Bearer sk-local');
    expect(sent.body.temperature).toBe(0);
    expect(sent.body.messages[0].content).toContain('- length_target:');
    expect(sent.body.messages[1].content).toContain('Task: Add two numbers');
    expect(sent.body.messages[1].content).toContain('Sample completion 2: eight');
    expect(sent.body.messages[1].content).toContain('The rubric already has: correct_answer (correct_answer, weight 1)');
  });

  it('invalid criteria are rejected one by one with their messages; the valid ones survive', () => {
    const reply = JSON.stringify({
      criteria: [
        { name: 'ok', kind: 'contains', weight: 0.5, params: { text: '<answer>' }, reason: 'tags' },
        { name: 'bad kind', kind: 'contains', weight: 1 },
        { name: 'mystery', kind: 'vibes', weight: 1 },
        { name: 'huge', kind: 'xml_format', weight: 1e308 },
        { name: 'str_weight', kind: 'xml_format', weight: '1' },
        { name: 'len', kind: 'length_target', weight: 1, params: { unit: 'furlongs' } },
        { name: 'neg', kind: 'length_target', weight: 1, params: { target: -3 } },
        { name: 'nested', kind: 'contains', weight: 1, params: { text: { $ne: 1 } } },
        { name: 'ok', kind: 'xml_format', weight: 0.1 },
        { name: 'correct_answer', kind: 'correct_answer', weight: 2 },
        'just a string',
      ],
    });
    const s = readSuggestion(reply, { baseUrl: server.baseUrl, model: 'm' }, ['correct_answer']);
    expect(s.proposals.map((p) => p.criterion.name)).toEqual(['ok']);
    expect(s.rejected.map((r) => [r.index, r.error])).toEqual([
      [1, 'name "bad kind" must be 1-64 letters, digits, _ . or -'],
      [2, 'unknown kind "vibes"'],
      [3, 'weight must be a number from -10 to 10'],
      [4, 'weight must be a number from -10 to 10'],
      [5, "length_target: param 'unit' must be one of 'words', 'chars', 'tokens'"],
      [6, "length_target: param 'target' must be >= 0"],
      [7, "param 'text' must be a number, string or boolean"],
      [8, "name 'ok' is already taken"],
      [9, "name 'correct_answer' is already taken"],
      [10, 'not an object'],
    ]);
  });

  it('hostile replies: a judge elsewhere, smuggled keys, prototype keys, too many criteria, no JSON, a huge body', async () => {
    const judge = { baseUrl: server.baseUrl, model: 'm' };
    const hostile = readSuggestion(
      JSON.stringify({
        criteria: [
          { name: 'exfil', kind: 'llm_judge', weight: 1, params: { baseUrl: 'https://attacker.example/v1' }, reason: 'trust me' },
          { name: 'keyed', kind: 'llm_judge', weight: 1, params: { apiKey: 'sk-stolen' } },
          { name: 'proto', kind: 'xml_format', weight: 1, params: JSON.parse('{"__proto__": {"polluted": true}}') },
          { name: 'proto2', kind: 'xml_format', weight: 1, params: JSON.parse('{"__proto__": 1}') },
        ],
      }),
      judge,
    );
    expect(hostile.proposals).toEqual([]);
    expect(hostile.rejected.map((r) => r.error)).toEqual([
      "proposes a judge at another address (https://attacker.example/v1): only the assistant's own endpoint is accepted",
      expect.stringMatching(/^llm_judge: unknown param 'apiKey'/),
      "param '__proto__' is not allowed",
      "param '__proto__' is not allowed",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const many = { criteria: Array.from({ length: 40 }, (_, i) => ({ name: `c${i}`, kind: 'xml_format', weight: 0.1 })) };
    const capped = readSuggestion(JSON.stringify(many), judge, ['existing']);
    expect(capped.proposals).toHaveLength(MAX_CRITERIA - 1);
    expect(capped.rejected[0]).toEqual({ index: MAX_CRITERIA - 1, name: `c${MAX_CRITERIA - 1}`, error: `a rubric holds at most ${MAX_CRITERIA} criteria` });

    expect(() => readSuggestion('I would use correctness and format.', judge)).toThrow('the assistant reply is not JSON (expected {"criteria": [...]})');
    expect(() => readSuggestion('{"rubric": []}', judge)).toThrow('the assistant reply has no "criteria" list');
    expect(() => readSuggestion('{"criteria": []}', judge)).toThrow('the assistant proposed no criteria');

    server.script(() => ({ rawBody: JSON.stringify({ choices: [{ message: { content: 'x'.repeat(MAX_REPLY_BYTES + 10) } }] }) }));
    await expect(suggestRubric(request, endpoint)).rejects.toThrow(/^rubric assistant: reply from .* is larger than 1048576 bytes: refused$/);
  });

  it('a slow server: a clear timeout within timeoutMs per attempt, bounded in total', async () => {
    server.script(() => ({ content: VALID, delayMs: 5000 }));
    const t0 = performance.now();
    await expect(suggestRubric(request, { ...endpoint, timeoutMs: 300, retries: 1 })).rejects.toThrow(/^rubric assistant: no answer from .* within 300 ms \(after 2 attempts\)$/);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('the key never appears in an error, even when the server echoes it', async () => {
    server.script((_, req) => ({ status: 400, rawBody: JSON.stringify({ error: { message: `bad key ${req.authorization}` } }) }));
    const err = await suggestRubric(request, endpoint, { apiKey: 'sk-very-secret-123456' }).catch((e: Error) => e.message);
    expect(err).toContain('[redacted]');
    expect(err).not.toContain('very-secret');
  });

  it('nothing is applied until accepted; accepted criteria append to the rubric and pass the run config validation', () => {
    const s = readSuggestion(VALID, { baseUrl: server.baseUrl, model: 'designer' }, ['correct_answer']);
    const criteria = acceptProposals(request.existing!, s.proposals, [true, false, true]);
    expect(criteria.map((c) => c.name)).toEqual(['correct_answer', 'format', 'grader']);
    expect(() => parseRunConfig({ ...defaultRunConfig(), rubric: { criteria } })).not.toThrow();
    expect(acceptProposals(request.existing!, s.proposals, [false, false, false])).toEqual(request.existing);
  });

  it('an empty task description is refused before any request', async () => {
    server.script(() => VALID);
    await expect(suggestRubric({ ...request, task: '  ' }, endpoint)).rejects.toThrow('describe the task first');
    expect(server.seen).toHaveLength(0);
    expect(assistantMessages(request)[0].content).toContain('"criteria"');
  });
});
