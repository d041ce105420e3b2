// The LLM judge against a real local HTTP server speaking the chat-completions protocol (no mocked fetch).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultRunConfig, parseRunConfig } from '../../config/schema.ts';
import { parseJudgeScore } from '../judge.ts';
import { Rubric } from '../rubric.ts';
import type { CriterionEnv, CriterionParams } from '../types.ts';

const KEY = 'sk-test-0123456789-SECRET';

interface Seen {
  url: string;
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[]; temperature: number; max_tokens: number };
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;
/** What the server does with the n-th request (0-based) of the current test. */
let behave: (n: number, req: Seen, res: ServerResponse) => void;

const reply = (res: ServerResponse, content: string, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
};

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const s: Seen = { url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(raw) };
      seen.push(s);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      behave(seen.length - 1, s, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  inFlight = maxInFlight = 0;
  behave = (_, __, res) => reply(res, 'Score: 7');
});

const keyEnv: CriterionEnv = { judgeKey: () => KEY };

/** Score completions with one judge criterion: per completion a score or the error message, plus the batch. */
async function judge(completions: string[], params: CriterionParams = {}, env: CriterionEnv = keyEnv) {
  const rubric = new Rubric([{ name: 'judge', kind: 'llm_judge', weight: 1, params: { baseUrl, model: 'judge-1', retryDelayMs: 10, ...params } }], undefined, env);
  const batch = await rubric.scoreBatch(completions.map((completion) => ({ prompt: 'What is 3+5?', completion, answer: '8' })));
  return { out: batch.scores.judge, batch, messages: batch.errorMessages.judge };
}

describe('llm_judge', () => {
  it('success: the protocol request, the key in the Authorization header, "Score: 7" -> 0.7', async () => {
    const { out, batch } = await judge(['<answer>8</answer>']);
    expect(out).toEqual([0.7]);
    expect(batch.errors.judge).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe('/v1/chat/completions');
    expect(seen[0].authorization).toBe(`Bearer ${KEY}`);
    expect(seen[0].body).toMatchObject({ model: 'judge-1', temperature: 0, max_tokens: 64 });
    expect(seen[0].body.messages).toHaveLength(1);
    expect(seen[0].body.messages[0].content).toContain('Question:\nWhat is 3+5?\n\nReference answer:\n8\n\nAnswer to grade:\n<answer>8</answer>');
  });

  it('template, system message, yes/no parsing; no key provider sends no Authorization header', async () => {
    behave = (_, req, res) => reply(res, req.body.messages.at(-1)!.content.includes('"8"') ? 'Yes.' : 'No');
    const { out } = await judge(['8', '9'], { template: 'Is "{completion}" equal to {answer}? {prompt}', system: 'Be strict.', parse: 'yes_no' }, {});
    expect(out).toEqual([1, 0]);
    expect(seen[0].body.messages).toEqual([
      { role: 'system', content: 'Be strict.' },
      { role: 'user', content: 'Is "8" equal to 8? What is 3+5?' },
    ]);
    expect(seen.every((s) => s.authorization === undefined)).toBe(true);
  });

  it('a malformed response is an error with a clear message (not retried)', async () => {
    behave = (_, __, res) => res.end('<html>oops</html>');
    let r = await judge(['x']);
    expect(r.batch.errors.judge).toBe(1);
    expect(r.messages).toMatch(/^judge: malformed response from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: not JSON: <html>oops<\/html>$/);
    expect(seen).toHaveLength(1);
    behave = (_, __, res) => res.end(JSON.stringify({ choices: [] }));
    r = await judge(['y']);
    expect(r.messages).toMatch(/malformed response .*: no choices\[0\]\.message\.content$/);
    behave = (_, __, res) => reply(res, 'I cannot grade this.');
    r = await judge(['z']);
    expect(r.messages).toBe("judge: judge reply has no score: 'I cannot grade this.'");
  });

  it('a 500 then success is retried; 429 honours Retry-After', async () => {
    behave = (n, _, res) => (n === 0 ? (res.writeHead(500), res.end('{"error":{"message":"overloaded"}}')) : reply(res, 'Score: 10'));
    expect((await judge(['a'])).out).toEqual([1]);
    expect(seen).toHaveLength(2);
    seen = [];
    behave = (n, _, res) => (n === 0 ? (res.writeHead(429, { 'retry-after': '0' }), res.end()) : reply(res, 'Score: 3'));
    expect((await judge(['b'])).out).toEqual([0.3]);
    expect(seen).toHaveLength(2);
  });

  it('gives up after the retries with the last error, counted per completion', async () => {
    behave = (_, __, res) => {
      res.writeHead(503);
      res.end('{"error":{"message":"maintenance"}}');
    };
    const r = await judge(['a', 'b'], { retries: 2 });
    expect(r.batch.errors.judge).toBe(2);
    expect(r.messages).toMatch(/^judge: 503 from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions: maintenance \(after 3 attempts\)$/);
    expect(seen).toHaveLength(6);
  });

  it('a hang times out (AbortController) within timeoutMs per attempt', async () => {
    behave = () => {}; // never answers
    const t0 = performance.now();
    const r = await judge(['a'], { timeoutMs: 200, retries: 1 });
    const elapsed = performance.now() - t0;
    expect(r.messages).toMatch(/^judge: no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions within 200 ms \(after 2 attempts\)$/);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(2000);
  });

  it('401 gives a clear message, is not retried, and never shows the key', async () => {
    behave = (_, req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${req.authorization?.slice(7)}` } }));
    };
    const r = await judge(['a']);
    expect(seen).toHaveLength(1);
    expect(r.messages).toMatch(/^judge: 401 from .*: the API key was refused or is missing \(CLI: set GRPO_JUDGE_API_KEY; browser: save the judge key in settings\): Incorrect API key provided: \[redacted\]$/);
    expect(r.messages).not.toContain(KEY);
  });

  it('the key appears in no error message, score, metric-like output, config or console line', async () => {
    const log = vi.spyOn(console, 'log');
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    behave = (n, req, res) => {
      res.writeHead(n % 2 ? 400 : 500, { 'content-type': 'text/plain' });
      res.end(`echo ${req.authorization} ${req.authorization}`); // a hostile server echoes the key back
    };
    const r = await judge(['a', 'b', 'c'], { retries: 1 });
    expect(seen.every((s) => s.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(r.messages).toContain('[redacted]');
    const everything = JSON.stringify(r.batch) + [log, warn, error].map((s) => JSON.stringify(s.mock.calls)).join('');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('0123456789-SECRET');
    // the run config has nowhere to put a key: only baseUrl/model/template-like params, and URLs with credentials are refused
    const config = defaultRunConfig();
    const withJudge = { ...config, rubric: { criteria: [{ name: 'judge', kind: 'llm_judge', weight: 1, params: { baseUrl, apiKey: KEY } }] } };
    expect(() => parseRunConfig(withJudge)).toThrow(/unknown param 'apiKey'/);
    expect(() => parseRunConfig({ ...withJudge, rubric: { criteria: [{ name: 'j', kind: 'llm_judge', weight: 1, params: { baseUrl: `${baseUrl}?key=${KEY}` } }] } })).toThrow(/must not have a query string/);
    log.mockRestore();
    warn.mockRestore();
    error.mockRestore();
  });

  it('a server that is not there: a network error, retried, then counted', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const r = await judge(['a'], { baseUrl: `http://127.0.0.1:${port}/v1`, retries: 1 });
    expect(r.messages).toMatch(new RegExp(`^judge: cannot reach http://127\\.0\\.0\\.1:${port}/v1/chat/completions \\(ECONNREFUSED\\) \\(after 2 attempts\\)$`));
  });

  it('at most `concurrency` requests in flight; identical prompts are asked once', async () => {
    behave = (_, __, res) => setTimeout(() => reply(res, 'Score: 5'), 60);
    const r = await judge(['a', 'b', 'c', 'd', 'e', 'f', 'a', 'a'], { concurrency: 2 });
    expect(r.out).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(seen).toHaveLength(6);
    expect(maxInFlight).toBe(2);
  });

  it('untrusted completions: huge, unicode, placeholders inside the completion', async () => {
    behave = (_, req, res) => reply(res, `Score: ${req.body.messages[0].content.includes('{answer}') ? 9 : 1}`);
    const { out } = await judge(['literal {answer} and 🙂 ' + 'x'.repeat(200_000)]);
    expect(out).toEqual([0.9]); // "{answer}" inside the completion is not substituted
    expect(seen[0].body.messages[0].content.length).toBeGreaterThan(200_000);
  });
});

describe('parseJudgeScore', () => {
  it('numbers', () => {
    expect(parseJudgeScore('Score: 7', 'number', 10)).toBe(0.7);
    expect(parseJudgeScore('score = 10', 'number', 10)).toBe(1);
    expect(parseJudgeScore('**Score:** 3', 'number', 10)).toBe(0.3);
    expect(parseJudgeScore('Reasoning: the answer 8 is right.\nScore: 9', 'number', 10)).toBe(0.9);
    expect(parseJudgeScore('7/10', 'number', 10)).toBe(0.7);
    expect(parseJudgeScore('0.5', 'number', 1)).toBe(0.5);
    expect(() => parseJudgeScore('Score: 11', 'number', 10)).toThrow('judge score 11 is outside 0-10');
    expect(() => parseJudgeScore('Score: -1', 'number', 10)).toThrow(/outside/);
    expect(() => parseJudgeScore('great answer', 'number', 10)).toThrow(/has no score/);
  });

  it('yes/no', () => {
    expect(parseJudgeScore('Yes', 'yes_no', 10)).toBe(1);
    expect(parseJudgeScore('**no**, because', 'yes_no', 10)).toBe(0);
    expect(parseJudgeScore('Correct.', 'yes_no', 10)).toBe(1);
    expect(() => parseJudgeScore('Maybe', 'yes_no', 10)).toThrow("judge reply is not yes or no: 'Maybe'");
  });

  it('linear time on hostile replies', () => {
    const t0 = performance.now();
    expect(() => parseJudgeScore('score' + ' '.repeat(50_000) + 'x', 'number', 10)).toThrow();
    expect(() => parseJudgeScore('Score:'.repeat(5000), 'number', 10)).toThrow();
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
