// The exported Python reward functions (python/playground_rewards.py, run by plain /usr/bin/python3 through
// check_rewards.py) against the playground's own criteria, on a fixed set of completions chosen to hit each
// kind's edge cases (numbers, fences, Unicode whitespace, countdown rules, game states, JavaScript number
// formatting): every score equal within 1e-12, and the same completions failing on both sides. custom_code
// runs in our QuickJS sandbox here and in Node.js there (no quickjs package for this Python); llm_judge asks
// a scripted server on 127.0.0.1 from both sides.
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunConfig, type RunConfig } from '../config/schema.ts';
import { CRITERION_KINDS } from '../rubric/criteria.ts';
import { Rubric } from '../rubric/rubric.ts';
import type { CriterionSpec, ScoreContext } from '../rubric/types.ts';
import { buildExport } from './project.ts';
import { HAVE_PYTHON, runPython, writeExport } from './test-python.ts';

let judge: Server;
let judgeUrl: string;

beforeAll(async () => {
  // A deterministic judge: the score is the user message's length mod 11; "yes" when it mentions "8".
  judge = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { messages: { role: string; content: string }[] };
      const user = body.messages.at(-1)!.content;
      const content = body.messages[0].content === 'yes-no' ? (user.includes('8') ? 'Yes, it is.' : 'No.') : `Score: ${user.length % 11}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
    });
  });
  await new Promise<void>((ok) => judge.listen(0, '127.0.0.1', ok));
  judgeUrl = `http://127.0.0.1:${(judge.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  judge.closeAllConnections();
  await new Promise((ok) => judge.close(ok));
});

const c = (name: string, kind: string, params: CriterionSpec['params'] = {}, weight = 1): CriterionSpec => ({ name, kind, weight, params });

/** Regex and custom code get a generous time limit: a loaded machine must not turn a limit into a mismatch. */
function criteria(): CriterionSpec[] {
  return [
    c('correct', 'correct_answer'),
    c('correct_result', 'correct_answer', { field: 'result' }),
    c('format', 'xml_format'),
    c('format2', 'xml_format', { fields: 'think,answer' }),
    c('numeric', 'numeric_match'),
    c('numeric_loose', 'numeric_match', { field: '', absTol: 0.5 }),
    c('contains', 'contains'),
    c('contains_cs', 'contains', { text: 'Hello', caseSensitive: true, field: '' }),
    c('regex', 'regex', { pattern: '^<answer>\\d+</answer>$', timeLimitMs: 1000 }),
    c('regex_i', 'regex', { pattern: 'hello\\s+world', flags: 'i', timeLimitMs: 1000 }),
    c('regex_named', 'regex', { pattern: '(?<n>\\d+)\\.(?=\\d)', field: 'answer', timeLimitMs: 1000 }),
    c('len_words', 'length_target', { target: 5, width: 3 }),
    c('len_chars', 'length_target', { unit: 'chars', shape: 'gaussian', target: 10, width: 4 }),
    c('len_tokens', 'length_target', { unit: 'tokens', target: 8, width: 4 }),
    c('similar', 'similarity'),
    c('similar_words', 'similarity', { unit: 'words', caseSensitive: false, field: '' }),
    c('json', 'json_valid', { requiredKeys: 'name, address.city' }),
    c('json_nofence', 'json_valid', { allowFence: false }),
    c('repeat', 'repetition_penalty', { n: 2 }),
    c('repeat_chars', 'repetition_penalty', { n: 3, unit: 'chars' }),
    c('overlong', 'overlong_penalty', { maxLength: 10, cache: 4 }),
    c('overlong_default', 'overlong_penalty'),
    c('code_body', 'custom_code', { code: 'return completion.length / 10', timeLimitMs: 1000 }),
    c('code_fn', 'custom_code', { code: '(p, c, a) => c.includes(a) ? 1 : 0', timeLimitMs: 1000 }),
    c('code_state', 'custom_code', { code: 'return (state && typeof state.turns === "number" ? state.turns : 0) + messages.length', timeLimitMs: 1000 }),
    c('code_throws', 'custom_code', { code: 'if (completion.length > 5) throw new Error("long"); return 1', timeLimitMs: 1000 }),
    c('code_random', 'custom_code', { code: 'return Math.random() + Date.now() / 1e13 + completion.length', timeLimitMs: 1000 }),
    c('judge', 'llm_judge', { baseUrl: 'JUDGE', model: 'm', retries: 0 }),
    c('judge_yes', 'llm_judge', { baseUrl: 'JUDGE', model: 'm', system: 'yes-no', parse: 'yes_no', template: 'Is {completion} right?', retries: 0 }),
    c('countdown', 'countdown'),
    c('words', 'exact_word_count'),
    c('words_all', 'exact_word_count', { field: '' }),
    c('list', 'list_match'),
    c('list_cs', 'list_match', { caseSensitive: true }),
    c('solved', 'solved'),
    c('solved_in', 'solved_in_turns', { shaping: 0.5 }),
    c('solved_in3', 'solved_in_turns', { turns: 3, shaping: 1 }),
    c('tools', 'tool_use', { min: 2 }),
  ];
}

const game = { solved: true, turns: 2, maxTurns: 5, toolCalls: 3, toolFailures: 1 };

/** Fixed completions; tokens and state where a kind needs them, left out where its error is the point. */
const CASES: ScoreContext[] = [
  { prompt: '3+5', completion: '<answer>8</answer>', answer: '8', completionTokens: 5, maxNewTokens: 16 },
  { prompt: '3+5', completion: '<think>hmm</think>\n<answer> 08. </answer>', answer: '8', completionTokens: 12, maxNewTokens: 16 },
  { prompt: 'x', completion: '<answer>1,234.5</answer>', answer: '1234.5', completionTokens: 9 },
  { prompt: 'x', completion: '<answer>3/4</answer> extra text', answer: '0.75', completionTokens: 14, maxNewTokens: 12 },
  { prompt: 'apples', completion: 'The answer is 42 apples, Hello world', answer: '42', completionTokens: 3 },
  { prompt: 'x', completion: '<answer>0.0000001</answer>', answer: '1e-7' },
  { prompt: 'x', completion: '<answer>```json\n{"name": "x", "address": {"city": "y"}}\n```</answer>', answer: 'x', completionTokens: 30, maxNewTokens: 32 },
  { prompt: 'x', completion: '<answer>{"name": 1, "address": "z"}</answer>', answer: 'x' },
  { prompt: 'greet', completion: 'hello   world hello world hello WORLD', answer: 'Hello World', completionTokens: 8 },
  { prompt: 'target 82 from 3 7 25 50', completion: '<answer>(50 + 25) + 7</answer>', answer: '82', completionTokens: 7 },
  { prompt: 'make it', completion: '<answer>50+25+7</answer>', answer: '0', info: { numbers: [3, 7, 25, 50], target: 82 } },
  { prompt: 'target 82 from 3 7 25 50', completion: '<answer>7*7+25+7</answer>', answer: '82' },
  { prompt: 'target 10 from 50 5', completion: '<answer>50/5</answer>', answer: '10' },
  { prompt: 'target 10 from 50 3', completion: '<answer>50/3</answer>', answer: '10' },
  { prompt: 'numbers: 2, 3', completion: '<answer>2*3</answer>', answer: '6', info: { numbers: '2, 3' } },
  { prompt: 'three words', completion: '<answer>well-known words - here</answer>', answer: '3', completionTokens: 10 },
  { prompt: 'sort', completion: '<answer>1, 5,12.</answer>', answer: '1 5 12' },
  { prompt: 'sort', completion: '<answer>A,b</answer>', answer: 'a, B' },
  { prompt: 'sort', completion: '<answer>07 , -0,3</answer>', answer: '7 0 3' },
  { prompt: 'game', completion: '<guess>8</guess>', answer: '8', state: game, messages: [{ role: 'user', content: 'go' }, { role: 'assistant', content: '<guess>8</guess>' }] },
  { prompt: 'game', completion: '<guess>4</guess>', answer: '8', state: { solved: false, turns: 5, maxTurns: 5, toolCalls: 0, toolFailures: 0 } },
  { prompt: 'game', completion: 'x', answer: '8', state: { solved: true, turns: 4, maxTurns: 5, toolCalls: 1, toolFailures: 1 } },
  { prompt: 'ü', completion: '<answer>\u3000 ünïcödé\u00a0☃ 😀\u2028</answer>', answer: 'ÜNÏCÖDÉ ☃ 😀', completionTokens: 11 },
  { prompt: 'empty', completion: '', answer: '' },
  { prompt: 'loop', completion: 'a b a b a b a b', answer: '2', completionTokens: 8, maxNewTokens: 8 },
  { prompt: 'x', completion: '<answer>1e400</answer>', answer: '5' },
  { prompt: 'x', completion: '```json\n{"name": "x", "address": {"city": "y"}}\n```', answer: 'x' },
  { prompt: 'x', completion: ' {"name": [1, 2], "address": {"town": 3}} ', answer: 'x' },
  { prompt: 'x', completion: '<result> OK </result>', answer: 'ok' },
  { prompt: 'x', completion: '<answer>-0</answer><result>ok</result>', answer: '0' },
  { prompt: 'x', completion: '{"a": NaN}', answer: 'x' },
  { prompt: 'x', completion: '<answer>12', answer: '12.0', completionTokens: 2 },
  { prompt: 'x', completion: '<answer>3.50</answer><answer>99</answer>', answer: '+3.5', completionTokens: 9 },
  { prompt: 'x', completion: '<answer>12.5.3</answer>', answer: 'ten' },
  { prompt: 'x', completion: '  <answer>  8  </answer>  \n', answer: '8.', completionTokens: 20, maxNewTokens: 16 },
];

/** A ScoreContext as check_rewards.py reads it. */
const asCase = (ctx: ScoreContext) => ({
  prompt: ctx.prompt,
  completion: ctx.completion,
  answer: ctx.answer,
  info: ctx.info ?? {},
  state: ctx.state ?? null,
  messages: ctx.messages ?? null,
  completion_tokens: ctx.completionTokens ?? null,
  max_new_tokens: ctx.maxNewTokens ?? null,
});

describe.skipIf(!HAVE_PYTHON)('exported Python rewards score as the playground does', () => {
  it('every built-in kind, on the fixed completions', async () => {
    const specs = criteria().map((s) => (s.params.baseUrl === 'JUDGE' ? { ...s, params: { ...s.params, baseUrl: judgeUrl } } : s));
    expect(new Set(specs.map((s) => s.kind))).toEqual(new Set(CRITERION_KINDS)); // every kind is covered
    // More criteria than a run config allows (32): the export and the Rubric take them all the same.
    const config = { ...defaultRunConfig(), rubric: { criteria: specs } } as RunConfig;
    const dir = await writeExport(buildExport(config, 'trl'));
    await writeFile(join(dir, 'cases.jsonl'), CASES.map((ctx) => JSON.stringify(asCase(ctx))).join('\n') + '\n');
    const python = (await runPython(['check_rewards.py', 'cases.jsonl'], dir)).trim().split('\n').map((l) => JSON.parse(l) as { total: number; scores: Record<string, number>; errors: Record<string, string> });
    const ours = await new Rubric(config.rubric.criteria).scoreEach(CASES);
    expect(python).toHaveLength(CASES.length);
    const mismatches: string[] = [];
    CASES.forEach((ctx, i) => {
      for (const s of specs) {
        const a = ours[i].scores[s.name];
        const b = python[i].scores[s.name];
        const errA = ours[i].errors[s.name] === 1;
        const errB = s.name in python[i].errors;
        if (Math.abs(a - b) > 1e-12 || errA !== errB) {
          mismatches.push(`case ${i} ${JSON.stringify(ctx.completion).slice(0, 50)} ${s.name}: ours ${a}${errA ? ` (error: ${ours[i].errorMessages[s.name]})` : ''}, python ${b}${errB ? ` (error: ${python[i].errors[s.name]})` : ''}`);
        }
      }
    });
    expect(mismatches, mismatches.join('\n')).toEqual([]);
    CASES.forEach((_, i) => expect(python[i].total).toBeCloseTo(ours[i].total, 10));
    // The cases exercise both outcomes of most criteria (not a set where everything scores 0).
    expect(specs.filter((s) => new Set(ours.map((o) => o.scores[s.name])).size === 1).map((s) => s.name)).toEqual([]);
  }, 60_000);
});
