// `serve` against a real HTTP client (fetch) on 127.0.0.1, with the bundled tiny-arith model on the CPU backend.
// The outside reference for the text is the trainer's own greedy evaluation (rollout.ts + Conversation), a
// separate path from the server's rendering and decode queue; a training run's llm_judge criterion calls it.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import type { Backend } from '../engine/backend.ts';
import { parseRunConfig } from '../rl/config/schema.ts';
import { environmentOf } from '../rl/envs/single-turn.ts';
import { getPreset } from '../rl/presets.ts';
import { createTask } from '../rl/tasks/index.ts';
import { Trainer } from '../rl/trainer.ts';
import { loadModel, PACKAGE_ROOT } from './models.ts';
import { startServer, type RunningServer } from './serve.ts';

let server: RunningServer;
let base: string;
let backend: Backend;
const MODEL = 'tiny-arith';

beforeAll(async () => {
  backend = (await CpuBackend.create({ threads: 1 })) as unknown as Backend;
  server = await startServer({ modelName: MODEL, loaded: await loadModel(MODEL), backend, port: 0, seed: 7 });
  base = server.url;
});

afterAll(async () => {
  await server?.close();
});

const post = (body: unknown, path = '/chat/completions') =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

interface Completion {
  choices: { index: number; message: { role: string; content: string }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

async function complete(body: Record<string, unknown>): Promise<Completion> {
  const res = await post({ model: MODEL, ...body });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Completion;
}

const ask = (content: string) => [{ role: 'user', content }];

describe('serve: chat completions', () => {
  it('lists the model', async () => {
    const res = await fetch(`${base}/models`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: { id: string; object: string }[] };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toEqual([MODEL]);
    expect((await fetch(`${base}/models/${MODEL}`)).status).toBe(200);
    expect((await fetch(`${base}/models/other`)).status).toBe(404);
  });

  it('greedy answers equal the trainer\'s greedy evaluation, also when 8 requests arrive together and share a decode', async () => {
    const config = getPreset('arithmetic');
    const loaded = await loadModel(MODEL);
    const trainer = await Trainer.create(parseRunConfig({ ...config, task: { ...config.task, evalSize: 8 } }), loaded, backend);
    const task = createTask(config.task.name, config.task.params);
    const rows = task.evalRows(8);
    const reference = await trainer.evaluate(rows);
    const before = server.queue.stats.maxRequestsInOneDecode;
    const replies = await Promise.all(
      rows.map((row) => complete({ messages: environmentOf(task).initialMessages(row), temperature: 0, max_tokens: config.eval.maxNewTokens })),
    );
    expect(replies.map((r) => r.choices[0].message.content)).toEqual(reference.samples.map((s) => s.completion));
    // They were batched: one decode carried several requests.
    expect(Math.max(before, server.queue.stats.maxRequestsInOneDecode)).toBeGreaterThan(1);
    for (const r of replies) {
      expect(r.usage.total_tokens).toBe(r.usage.prompt_tokens + r.usage.completion_tokens);
      expect(r.usage.completion_tokens).toBeGreaterThan(0);
    }
    // Decoding alone gives the same text as in the batch.
    const solo = await complete({ messages: environmentOf(task).initialMessages(rows[3]), temperature: 0, max_tokens: config.eval.maxNewTokens });
    expect(solo.choices[0].message.content).toBe(reference.samples[3].completion);
  });

  it('a seed makes a sampled reply repeat; n gives n choices counted in usage', async () => {
    const body = { messages: ask('17+25='), temperature: 1.5, n: 3, seed: 1234, max_tokens: 12 };
    const a = await complete(body);
    const b = await complete(body);
    expect(a.choices).toHaveLength(3);
    expect(a.choices.map((c) => c.message.content)).toEqual(b.choices.map((c) => c.message.content));
    expect(a.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    // Temperature 1.5 over 4 seeds x 3 choices: not all twelve texts alike (the seed matters).
    const texts = new Set<string>();
    for (const seed of [1, 2, 3, 4]) for (const c of (await complete({ ...body, seed })).choices) texts.add(c.message.content);
    expect(texts.size).toBeGreaterThan(1);
    // Each choice ends with the stop token (1 token) or fills max_tokens.
    expect(a.usage.completion_tokens).toBeLessThanOrEqual(3 * 12);
    expect(a.usage.completion_tokens).toBeGreaterThanOrEqual(3);
  });

  it('max_tokens cuts with finish_reason length; stop cuts before the stop string with finish_reason stop', async () => {
    const full = await complete({ messages: ask('12+19='), temperature: 0, max_tokens: 20 });
    const text = full.choices[0].message.content;
    expect(text).toMatch(/^<answer>\d+<\/answer>$/);
    expect(full.choices[0].finish_reason).toBe('stop');
    const short = await complete({ messages: ask('12+19='), temperature: 0, max_tokens: 2 });
    expect(short.choices[0].finish_reason).toBe('length');
    expect(short.usage.completion_tokens).toBe(2);
    expect(text.startsWith(short.choices[0].message.content)).toBe(true);
    const stopped = await complete({ messages: ask('12+19='), temperature: 0, max_tokens: 20, stop: ['</'] });
    expect(stopped.choices[0].message.content).toBe(text.slice(0, text.indexOf('</')));
    expect(stopped.choices[0].finish_reason).toBe('stop');
  });

  it('streams server-sent events whose deltas add up to the non-streamed text', async () => {
    const body = { model: MODEL, messages: ask('8+5='), temperature: 0, max_tokens: 20 };
    const plain = (await (await post(body)).json()) as Completion;
    const res = await post({ ...body, stream: true, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await res.text()).split('\n\n').filter((e) => e.trim() !== '');
    expect(events.every((e) => e.startsWith('data: '))).toBe(true);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)) as { object: string; choices: { delta: { content?: string; role?: string }; finish_reason: string | null }[]; usage: Completion['usage'] | null });
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.flatMap((c) => c.choices.map((x) => x.delta.content ?? '')).join('');
    expect(text).toBe(plain.choices[0].message.content);
    expect(chunks.filter((c) => c.choices.length > 0).length).toBeGreaterThan(3); // several content chunks, not one
    expect(chunks.flatMap((c) => c.choices.map((x) => x.finish_reason)).filter((f) => f !== null)).toEqual(['stop']);
    expect(chunks.at(-1)!.usage).toEqual(plain.usage);
  });
});

describe('serve: bad requests get a 4xx with OpenAI\'s error body', () => {
  it.each([
    ['not JSON', '{"model": ', 400, null],
    ['an array', '[1,2]', 400, null],
    ['no messages', { model: MODEL }, 400, 'messages'],
    ['empty messages', { model: MODEL, messages: [] }, 400, 'messages'],
    ['a bad role', { model: MODEL, messages: [{ role: 'robot', content: 'x' }] }, 400, 'messages.0.role'],
    ['temperature 3', { model: MODEL, messages: ask('1+1='), temperature: 3 }, 400, 'temperature'],
    ['top_p 0', { model: MODEL, messages: ask('1+1='), top_p: 0 }, 400, 'top_p'],
    ['max_tokens 0', { model: MODEL, messages: ask('1+1='), max_tokens: 0 }, 400, 'max_tokens'],
    ['n 99', { model: MODEL, messages: ask('1+1='), n: 99 }, 400, 'n'],
    ['five stop strings', { model: MODEL, messages: ask('1+1='), stop: ['a', 'b', 'c', 'd', 'e'] }, 400, 'stop'],
    ['tools', { model: MODEL, messages: ask('1+1='), tools: [{ type: 'function' }] }, 400, 'tools'],
    ['a context overflow', { model: MODEL, messages: ask('1+1='), max_tokens: 5000 }, 400, 'max_tokens'],
    ['an unknown model', { model: 'gpt-9', messages: ask('1+1=') }, 404, 'model'],
  ])('%s', async (_, body, status, param) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const err = ((await res.json()) as { error: { message: string; type: string; param: string | null } }).error;
    expect(err.type).toBe('invalid_request_error');
    expect(err.param).toBe(param);
    expect(err.message.length).toBeGreaterThan(5);
  });

  it('wrong method, unknown route and an oversized body', async () => {
    expect((await fetch(`${base}/chat/completions`)).status).toBe(405);
    expect((await fetch(`${base}/completions`, { method: 'POST', body: '{}' })).status).toBe(404);
    const huge = await post({ model: MODEL, messages: ask('x'.repeat(5 * 1024 * 1024)) });
    expect(huge.status).toBe(413);
  });

  it('a full queue answers 429 with Retry-After at once, and the rest are served', async () => {
    // A server whose first request waits 1 s for companions: all 20 requests arrive while 4 fill the queue.
    const busy = await startServer({ modelName: MODEL, loaded: await loadModel(MODEL), backend, port: 0, limits: { maxQueued: 4, batchWindowMs: 1000 } });
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => fetch(`${busy.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: MODEL, messages: ask(`${i}+1=`), temperature: 0, max_tokens: 8 }) }).then(async (r) => {
        if (r.status === 429) expect(r.headers.get('retry-after')).toBe('1');
        await r.arrayBuffer();
        return r.status;
      })),
    );
    await busy.close();
    expect(statuses.filter((s) => s === 429).length).toBe(16);
    expect(statuses.filter((s) => s === 200).length).toBe(4);
    expect(busy.queue.stats.maxRequestsInOneDecode).toBe(4); // the four shared one decode
  });
});

describe('serve as a judge', () => {
  it('a training run\'s llm_judge criterion scores completions with the served model', async () => {
    const preset = getPreset('arithmetic');
    // The served model answers "<answer>N</answer>" to what it is shown; N read as a number out of 10^6 is the
    // judge's score (in (0, 1): sampled completions make it write numbers of a few digits).
    const config = parseRunConfig({
      ...preset,
      task: { ...preset.task, evalSize: 4 },
      grpo: { ...preset.grpo, promptsPerStep: 2, groupSize: 2 },
      rubric: {
        criteria: [
          ...preset.rubric.criteria,
          { name: 'judge', kind: 'llm_judge', weight: 0.5, params: { baseUrl: base, model: MODEL, template: '{completion}', maxScore: 1e6, maxTokens: 12, timeoutMs: 60_000 } },
        ],
      },
    });
    const trainer = await Trainer.create(config, await loadModel(MODEL), backend);
    const served = server.queue.stats.requests;
    const r = await trainer.step();
    expect(r.metrics['rewards/judge/errors'] ?? 0).toBe(0);
    expect(server.queue.stats.requests).toBeGreaterThan(served);
    // The same verdicts asked directly: the first number of each reply, over 10^6, averaged over the samples.
    const verdicts = await Promise.all(
      r.samples.map(async (s) => {
        const reply = (await complete({ messages: ask(s.completion), temperature: 0, max_tokens: 12 })).choices[0].message.content;
        return Number(/\d+/.exec(reply)![0]) / 1e6;
      }),
    );
    expect(r.metrics['rewards/judge/mean']).toBeCloseTo(verdicts.reduce((a, b) => a + b, 0) / verdicts.length, 12);
    expect(r.metrics['rewards/judge/mean']).toBeGreaterThan(0);
  });
});

describe('serve: the command', () => {
  const BIN = join(PACKAGE_ROOT, 'bin', 'grpo-playground.mjs');

  it('starts on 127.0.0.1, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--model', MODEL, '--port', '0', '--backend', 'cpu'], { cwd: PACKAGE_ROOT });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 30 s: ${stderr}`)), 30_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data[0].id).toBe(MODEL);
    const code = await new Promise<number | null>((resolve) => {
      child.removeAllListeners('exit');
      child.on('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 40_000);

  it('an unknown model is one clear line and a non-zero exit', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) =>
      execFile(process.execPath, [BIN, 'serve', '--model', 'no-such-model', '--port', '0'], { cwd: PACKAGE_ROOT }, (e, _o, stderr) =>
        resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stderr }),
      ),
    );
    expect(r.code).not.toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('XDG_RUNTIME_DIR'));
    expect(lines).toEqual([expect.stringMatching(/^error: unknown model "no-such-model"/)]);
  }, 30_000);
});
