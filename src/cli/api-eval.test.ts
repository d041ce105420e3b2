// `eval --api-base`: against our own `serve` (the reference: the trainer's local greedy evaluation of the same
// model) and against scripted chat-completions servers on 127.0.0.1 (the key's handling, retries, sampling
// fields, usage, a multi-turn game played over the API).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../engine/backend.ts';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { evaluateWithApi } from '../rl/api-eval.ts';
import { parseRunConfig } from '../rl/config/schema.ts';
import { getPreset } from '../rl/presets.ts';
import { overlongPenalty } from '../rl/rubric/kinds/overlong-penalty.ts';
import { Rubric } from '../rl/rubric/rubric.ts';
import { createTask } from '../rl/tasks/index.ts';
import { Trainer } from '../rl/trainer.ts';
import { apiEvalCommand } from './api-eval.ts';
import { loadModel, PACKAGE_ROOT } from './models.ts';
import { startServer, type RunningServer } from './serve.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'grpo-playground.mjs');
const KEY = 'sk-live-ABCDEFGHIJKLMNOP-0123456789';

let served: RunningServer;
let backend: Backend;

beforeAll(async () => {
  backend = (await CpuBackend.create({ threads: 1 })) as unknown as Backend;
  served = await startServer({ modelName: 'tiny-arith', loaded: await loadModel('tiny-arith'), backend, port: 0 });
});
afterAll(async () => {
  await served?.close();
});

/** Run `fn` with stdout and stderr captured (returned as one text). */
async function quietly<T>(fn: () => Promise<T>): Promise<{ value: T; out: string }> {
  let out = '';
  const capture = (chunk: unknown) => {
    out += String(chunk);
    return true;
  };
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void capture(a.join(' ') + '\n'));
  try {
    return { value: await fn(), out };
  } finally {
    err.mockRestore();
    log.mockRestore();
  }
}

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, env: { ...process.env, ...env } }, (e, stdout, stderr) =>
      resolve({ code: e ? ((e as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** A scripted chat-completions server: `answer(body, n)` gives [status, JSON body] for the n-th request. */
async function scripted(answer: (body: { messages: { role: string; content: string }[]; [k: string]: unknown }, n: number, auth?: string) => [number, unknown]) {
  const seen: { body: Record<string, unknown>; auth?: string }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ body, auth: req.headers.authorization });
      const [status, out] = answer(body, seen.length - 1, req.headers.authorization);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}

const say = (content: string, completionTokens?: number) => ({
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  ...(completionTokens === undefined ? {} : { usage: { prompt_tokens: 3, completion_tokens: completionTokens, total_tokens: 3 + completionTokens } }),
});

const endpoint = (baseUrl: string, model = 'm') => ({ baseUrl, model, timeoutMs: 10_000, retries: 2, retryDelayMs: 1, concurrency: 4, sleep: async () => {} });

describe('eval --api-base against our own serve', () => {
  it('greedy: accuracy and per-criterion means equal the local evaluation of the same model', async () => {
    const config = parseRunConfig({ ...getPreset('arithmetic'), task: { ...getPreset('arithmetic').task, evalSize: 16 } });
    const task = createTask(config.task.name, config.task.params);
    const rows = task.evalRows(16);
    const local = await (await Trainer.create(config, await loadModel('tiny-arith'), backend)).evaluate(rows);
    const api = await evaluateWithApi(task, new Rubric(config.rubric.criteria), rows, 1, endpoint(served.url, 'tiny-arith'), {
      temperature: 0,
      topP: 1,
      maxTokens: config.eval.maxNewTokens,
      seed: 1,
      stop: [],
    });
    expect(api.failedEpisodes).toBe(0);
    expect(api.samples.map((s) => s.completion)).toEqual(local.samples.map((s) => s.completion));
    for (const [k, v] of Object.entries(local.metrics)) expect(api.metrics[k], k).toBeCloseTo(v, 12);
    expect(api.metrics['eval/pass@1']).toBeCloseTo(local.metrics['eval/accuracy'], 12);
  });

  it('the command: 4 sampled completions per row give pass@1..4, JSON lines, and repeat with the same seed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'api-eval-'));
    const args = ['eval', '--preset', 'arithmetic', '--samples', '6', '--api-base', served.url, '--api-model', 'tiny-arith', '--completions', '4', '--temperature', '1', '--quiet'];
    const a = await cli([...args, '--log', join(dir, 'a.jsonl')]);
    expect(a.code, a.stderr).toBe(0);
    // The same evaluation in-process (same flags through the command function).
    const b = await quietly(() =>
      apiEvalCommand({ preset: 'arithmetic', samples: 6, apiBase: served.url, apiModel: 'tiny-arith', completions: '4', temperature: '1', quiet: true, log: join(dir, 'b.jsonl') }),
    );
    const lines = (await readFile(join(dir, 'a.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0].type).toBe('eval');
    expect(lines[0].step).toBe(0);
    expect(lines.slice(1)).toHaveLength(24);
    expect(lines.slice(1).every((l) => l.type === 'sample' && typeof l.completion === 'string')).toBe(true);
    const m = lines[0];
    for (const k of ['eval/reward', 'eval/accuracy', 'eval/pass@1', 'eval/pass@2', 'eval/pass@4', 'eval/rewards/correct_answer/mean']) expect(typeof m[k], k).toBe('number');
    // Binary correctness: pass@1 is the accuracy; pass@k grows with k and is the fraction of rows solved at least once at k = n.
    expect(m['eval/pass@1']).toBeCloseTo(m['eval/accuracy'], 12);
    expect(m['eval/pass@2']).toBeGreaterThanOrEqual(m['eval/pass@1']);
    expect(m['eval/pass@4']).toBeGreaterThanOrEqual(m['eval/pass@2']);
    const solvedRows = new Set(lines.slice(1).filter((l) => l.correct === 1).map((l) => l.row)).size;
    expect(m['eval/pass@4']).toBeCloseTo(solvedRows / 6, 12);
    // The server honours the seeds the evaluation sends: a second run is the same.
    expect(await readFile(join(dir, 'b.jsonl'), 'utf8')).toBe(await readFile(join(dir, 'a.jsonl'), 'utf8'));
    expect(b.out).toMatch(/eval\/pass@4/);
  }, 60_000);
});

describe('eval --api-base against scripted servers', () => {
  it('sends the key as a Bearer token, retries a 500 that echoes it, and never shows it', async () => {
    const srv = await scripted((_, n, auth) => (n === 0 ? [500, { error: { message: `overloaded, your key ${auth}` } }] : [200, say('<answer>5</answer>')]));
    try {
      const r = await cli(['eval', '--preset', 'arithmetic', '--samples', '1', '--api-base', srv.url, '--api-model', 'gpt-x', '--api-key-env', 'MY_KEY'], { MY_KEY: KEY });
      expect(r.code, r.stderr).toBe(0);
      expect(srv.seen.map((s) => s.auth)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
      expect(srv.seen[1].body.model).toBe('gpt-x');
      expect(srv.seen[1].body.temperature).toBe(0); // one completion: greedy
      expect(r.stdout + r.stderr).not.toContain(KEY.slice(0, 12));
    } finally {
      await srv.close();
    }
  }, 30_000);

  it('a refused key is one clear error, redacted', async () => {
    const srv = await scripted((_, __, auth) => [401, { error: { message: `Incorrect API key provided: ${auth?.slice(7)}` } }]);
    try {
      let message = '';
      const run = await quietly(() =>
        apiEvalCommand({ preset: 'arithmetic', samples: 2, apiBase: srv.url, apiModel: 'gpt-x' }, { OPENAI_API_KEY: KEY }).catch((e: Error) => {
          message = e.message;
        }),
      );
      expect(srv.seen.length).toBe(2); // 401 is not retried
      expect(message).toMatch(/^every request to .* failed: 401 .*API key was refused/);
      expect(message).toContain('[redacted]');
      expect(message + run.out).not.toContain(KEY.slice(-10));
      expect(run.out).toMatch(/key from OPENAI_API_KEY/); // the variable's name is shown, not its value
    } finally {
      await srv.close();
    }
  });

  it('a flag that needs --api-base is one clear line from the command', async () => {
    const r = await cli(['eval', '--preset', 'arithmetic', '--api-model', 'x']);
    expect(r.code).not.toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('XDG_RUNTIME_DIR'));
    expect(lines).toEqual(['error: --api-model needs --api-base']);
  }, 30_000);

  it.each([
    [{ apiBase: 'http://127.0.0.1:9/v1' }, /--api-base needs --api-model/],
    [{ apiBase: 'http://k:secret@127.0.0.1/v1', apiModel: 'x' }, /--api-base: baseUrl must not contain a user name/],
    [{ apiBase: 'http://127.0.0.1:9/v1', apiModel: 'x', apiKeyEnv: 'NOT_SET_ANYWHERE' }, /NOT_SET_ANYWHERE: that environment variable is empty/],
    [{ apiBase: 'http://127.0.0.1:9/v1', apiModel: 'x', apiKeyEnv: 'A B' }, /--api-key-env must name an environment variable/],
    [{ apiBase: 'http://127.0.0.1:9/v1', apiModel: 'x', temperature: 'hot' }, /--temperature must be a number/],
    [{ apiBase: 'http://127.0.0.1:9/v1', apiModel: 'x', completions: '0' }, /--completions must be an integer >= 1/],
  ])('bad flags %j: one clear CliError', async (flags, pattern) => {
    await expect(apiEvalCommand({ preset: 'arithmetic', ...flags }, {})).rejects.toThrow(pattern);
  });

  it('sampling fields reach the server; usage.completion_tokens reaches length criteria; stop strings cut as the trainer does', async () => {
    const srv = await scripted(() => [200, say('<answer>4</answer> and more', 9)]);
    try {
      const task = createTask('arithmetic', { maxOperand: 9 });
      const rubric = new Rubric([
        { name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} },
        { name: 'long', kind: 'overlong_penalty', weight: 1, params: { maxLength: 10, cache: 4 } },
      ]);
      const rows = task.evalRows(3);
      const r = await evaluateWithApi(task, rubric, rows, 2, endpoint(srv.url), { temperature: 0.8, topP: 0.9, maxTokens: 33, seed: 5, stop: ['</answer>'] });
      expect(srv.seen).toHaveLength(6);
      for (const s of srv.seen) {
        expect(s.body.temperature).toBe(0.8);
        expect(s.body.top_p).toBe(0.9);
        expect(s.body.max_tokens).toBe(33);
        expect(s.body.stop).toBeUndefined();
        expect(Number.isInteger(s.body.seed)).toBe(true);
      }
      expect(new Set(srv.seen.map((s) => s.body.seed)).size).toBe(6); // one seed per episode
      expect(r.samples.every((s) => s.completion === '<answer>4</answer>')).toBe(true);
      expect(r.metrics['eval/rewards/long/errors']).toBeUndefined();
      expect(r.metrics['eval/rewards/long/mean']).toBeCloseTo(overlongPenalty(9, 10, 4), 12);
      const rightRows = rows.filter((row) => row.answer === '4').length;
      expect(r.metrics['eval/accuracy']).toBeCloseTo(rightRows / 3, 12);
    } finally {
      await srv.close();
    }
  });

  it('a multi-turn task plays its environment between the API model\'s turns', async () => {
    // The scripted model plays binary search on 1..32 from the "higher"/"lower" replies it has seen.
    const srv = await scripted((body) => {
      let lo = 1;
      let hi = 32;
      let last = 0;
      for (const m of body.messages) {
        if (m.role === 'assistant') last = Number(/<guess>(\d+)<\/guess>/.exec(m.content)![1]);
        if (m.role === 'user' && m.content === 'higher') lo = last + 1;
        if (m.role === 'user' && m.content === 'lower') hi = last - 1;
      }
      return [200, say(`<guess>${Math.floor((lo + hi) / 2)}</guess>`)];
    });
    try {
      const preset = getPreset('guess-number');
      const task = createTask(preset.task.name, preset.task.params);
      const rows = task.evalRows(8);
      const r = await evaluateWithApi(task, new Rubric(preset.rubric.criteria), rows, 1, endpoint(srv.url), { temperature: 0, topP: 1, maxTokens: 12, seed: 1, stop: [] });
      expect(r.failedEpisodes).toBe(0);
      expect(srv.seen.length).toBe(r.samples.reduce((a, s) => a + s.turns, 0));
      expect(r.samples.some((s) => s.turns > 1)).toBe(true);
      for (const s of r.samples) {
        const solved = s.scores.solved === 1;
        // Solved exactly when the last guess is the secret.
        expect(solved).toBe(s.completion === `<guess>${s.answer}</guess>`);
        expect(s.turns).toBeLessThanOrEqual(Number(preset.task.params.maxTurns));
      }
      expect(r.metrics['eval/rewards/xml_format/mean']).toBe(1);
      expect(r.metrics['eval/accuracy']).toBeGreaterThan(0.5);
    } finally {
      await srv.close();
    }
  });

  it('a server that fails some requests: those episodes are counted and left out, the rest scored', async () => {
    const srv = await scripted((body) => (String(body.messages.at(-1)!.content).startsWith('1') ? [400, { error: { message: 'bad prompt' } }] : [200, say('<answer>1</answer>')]));
    try {
      const task = createTask('arithmetic', { maxOperand: 29 });
      const rows = task.evalRows(10);
      const r = await evaluateWithApi(task, new Rubric([{ name: 'correct_answer', kind: 'correct_answer', weight: 1, params: {} }]), rows, 1, endpoint(srv.url), { temperature: 0, topP: 1, maxTokens: 8, seed: 1, stop: [] });
      const failing = rows.filter((row) => row.prompt.startsWith('1')).length;
      expect(failing).toBeGreaterThan(0);
      expect(r.failedEpisodes).toBe(failing);
      expect(r.metrics['eval/api_errors']).toBe(failing);
      expect(r.samples).toHaveLength(10 - failing);
      expect(r.firstError).toMatch(/400 .*bad prompt/);
    } finally {
      await srv.close();
    }
  });
});

// A config file works as for the local eval (the flags share loadRunConfig).
it('eval --api-base reads --config', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'api-eval-'));
  const file = join(dir, 'run.json');
  await writeFile(file, JSON.stringify({ ...getPreset('arithmetic'), task: { name: 'arithmetic', params: { maxOperand: 9 }, evalSize: 2 } }));
  const r = await quietly(() => apiEvalCommand({ config: file, apiBase: served.url, apiModel: 'tiny-arith', quiet: true }));
  expect(r.out).toMatch(/2 held-out rows x 1/);
  expect(r.value.samples).toHaveLength(2);
});
