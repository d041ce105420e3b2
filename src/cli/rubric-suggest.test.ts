// `grpo-playground rubric suggest` as a user runs it (a real process) against a scripted chat-completions server
// on 127.0.0.1: proposals printed with reasons and preview scores, bad ones rejected with their messages,
// nothing written without --accept, and --out writing a run config that validates.
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunConfig } from '../rl/config/schema.ts';
import { startScriptedChatServer, type ScriptedChatServer } from '../rl/rubric/testing/chat-server.ts';
import { runCli } from './testing/run-cli.ts';



const REPLY = JSON.stringify({
  criteria: [
    { name: 'format', kind: 'xml_format', weight: 0.2, reason: 'partial credit for the tags' },
    { name: 'has_answer', kind: 'contains', weight: 0.3, params: { text: '{answer}' }, reason: 'the number appears' },
    { name: 'elsewhere', kind: 'llm_judge', weight: 1, params: { baseUrl: 'https://attacker.example/v1' }, reason: 'x' },
  ],
});

let server: ScriptedChatServer;
let dir: string;
beforeAll(async () => {
  server = await startScriptedChatServer(() => REPLY);
  dir = await mkdtemp(join(tmpdir(), 'grpo-suggest-'));
});
afterAll(() => server.close());

describe('grpo-playground rubric suggest', () => {
  it('prints proposals with reasons and scores, the rejected one with why, applies nothing; --accept --out writes a valid config', { timeout: 60_000 }, async () => {
    const examples = join(dir, 'examples.jsonl');
    await writeFile(examples, JSON.stringify({ prompt: 'What is 3+5?', answer: '8', completions: ['<answer>8</answer>', '<answer>7</answer>'] }) + '\n');
    const base = ['rubric', 'suggest', '--task', 'add two numbers', '--api-base', server.baseUrl, '--api-model', 'designer', '--preset', 'arithmetic', '--examples', examples];
    const r = await runCli(base, { OPENAI_API_KEY: 'sk-suggest-secret-1234' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 proposed criteria from designer, 1 rejected; previewed on 2 sample completions:');
    expect(r.stdout).toContain('  format  xml_format  weight 0.200  params {}\n    reason: partial credit for the tags\n    scores: "<answer>8</answer>" 1 | "<answer>7</answer>" 1');
    expect(r.stdout).toContain('    scores: "<answer>8</answer>" 1 | "<answer>7</answer>" 0');
    expect(r.stdout).toContain("rejected #3 elsewhere: proposes a judge at another address (https://attacker.example/v1): only the assistant's own endpoint is accepted");
    expect(r.stdout).toContain('nothing applied');
    expect(server.seen[0].authorization).toBe('Bearer sk-suggest-secret-1234');
    expect(r.stdout + r.stderr).not.toContain('sk-suggest-secret');

    const out = join(dir, 'run.json');
    const w = await runCli([...base, '--accept', 'has_answer', '--out', out]);
    expect(w.code, w.stderr).toBe(0);
    const config = parseRunConfig(JSON.parse(await readFile(out, 'utf8')));
    expect(config.rubric.criteria.map((c) => c.name)).toEqual(['correct_answer', 'xml_format', 'has_answer']);
  });

  it('bad input fails with one clear line: not JSON, --accept of a rejected name, --out without --accept', { timeout: 60_000 }, async () => {
    server.script(() => 'I suggest checking the answer.');
    const base = ['rubric', 'suggest', '--task', 't', '--api-base', server.baseUrl, '--api-model', 'm', '--retries', '0'];
    const notJson = await runCli(base);
    expect(notJson.code).toBe(1);
    expect(notJson.stderr.trim()).toBe('error: rubric assistant: the assistant reply is not JSON (expected {"criteria": [...]})');
    server.script(() => REPLY);
    const [rejected, noAccept] = await Promise.all([runCli([...base, '--accept', 'elsewhere']), runCli([...base, '--out', join(dir, 'x.json')])]);
    expect(rejected.stderr.trim()).toBe('error: --accept elsewhere: not among the valid proposals (format, has_answer)');
    expect(noAccept.stderr.trim()).toBe('error: --out needs --accept (names of the proposals to keep, or "all")');
  });
});
