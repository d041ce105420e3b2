// `--model hf:ORG/NAME` as a user runs it: a real CLI process, HF_ENDPOINT pointing at a Hub look-alike on
// 127.0.0.1, HF_HOME in a temp folder. The model downloads once into the Hugging Face cache layout, trains a
// step, and the next run loads it from the cache with the Hub gone. Failures exit non-zero with one line.
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubTestServer } from '../engine/io/hub-test-server.ts';
import { tinyQwen3Folder } from '../engine/io/hub-test-models.ts';
import { runCli } from './testing/run-cli.ts';

let hub: HubTestServer;
let home: string;

const lines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() && !l.includes('XDG_RUNTIME_DIR'));

beforeAll(async () => {
  hub = await startHubServer([{ repo: 'test-org/tiny-qwen3', files: tinyQwen3Folder({ seed: 3 }) }]);
  home = mkdtempSync(join(tmpdir(), 'hf-home-'));
  // A small run: 2 prompts x G 2, 8 new tokens, 2 eval rows.
  writeFileSync(
    join(home, 'run.json'),
    JSON.stringify({ version: 1, model: { id: 'hf:test-org/tiny-qwen3' }, steps: 1, task: { name: 'arithmetic', evalSize: 2 }, grpo: { promptsPerStep: 2, groupSize: 2 }, sampling: { maxNewTokens: 8 }, eval: { maxNewTokens: 8 } }),
  );
});
afterAll(async () => {
  await hub.close();
  rmSync(home, { recursive: true, force: true });
});

describe('grpo-playground --model hf:', () => {
  it('downloads into $HF_HOME/hub in the HF layout, trains a step, then trains again from the cache offline', async () => {
    const env = { HF_HOME: home, HF_ENDPOINT: hub.endpoint };
    const log = join(home, 'a.jsonl');
    const r = await runCli(['train', '--config', join(home, 'run.json'), '--backend', 'cpu', '--log', log], env);
    expect(r.code, r.stderr).toBe(0);
    const repoDir = join(home, 'hub', 'models--test-org--tiny-qwen3');
    const commit = readFileSync(join(repoDir, 'refs', 'main'), 'utf8');
    expect(readdirSync(join(repoDir, 'snapshots', commit))).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']));
    expect(readdirSync(join(repoDir, 'blobs')).some((b) => b.endsWith('.incomplete')), 'no partial blob is left').toBe(false);
    expect(r.stderr).toMatch(/download model\.safetensors: .* \/ /); // not a TTY: progress as lines
    const train = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((o) => o.type === 'train');
    expect(train).toHaveLength(1);
    expect(Number.isFinite(train[0].loss)).toBe(true);
    expect(hub.downloads('model.safetensors')).toBe(1);

    // The Hub is now unreachable: the cached snapshot is used and nothing is fetched.
    const again = await runCli(['train', '--config', join(home, 'run.json'), '--backend', 'cpu', '--quiet'], { HF_HOME: home, HF_ENDPOINT: 'http://127.0.0.1:9' });
    expect(again.code, again.stderr).toBe(0);
    expect(hub.downloads('model.safetensors')).toBe(1);
  });

  it.each([
    [['--model', 'hf:not a repo'], /--model hf:not a repo: "not a repo" is not ORG\/NAME/],
    [['--model', 'hf:test-org/missing'], /cannot load hf:test-org\/missing: test-org\/missing needs a Hugging Face token \(401/],
  ])('%j fails with one clear line', async (args, pattern) => {
    const r = await runCli(['eval', '--samples', '1', '--backend', 'cpu', ...args], { HF_HOME: home, HF_ENDPOINT: hub.endpoint });
    expect(r.code).not.toBe(0);
    expect(lines(r.stderr), r.stderr).toHaveLength(1);
    expect(lines(r.stderr)[0]).toMatch(pattern);
  });
});
