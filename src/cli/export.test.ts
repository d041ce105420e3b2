// `grpo-playground export`: the project lands in --out with the bundled model copied beside it (loadable as a
// model folder); a non-empty --out, an unknown target and a bad config are refused with one clear message.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { exportCommand } from './export.ts';

const quiet = () => vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

describe('export command', () => {
  it('writes the TRL project and copies the bundled model', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'export-cli-')), 'proj');
    const spy = quiet();
    const files = await exportCommand({ to: 'trl', preset: 'arithmetic', out }).finally(() => spy.mockRestore());
    expect(files).toEqual(expect.arrayContaining(['train_trl.py', 'trl_rewards.py', 'playground_rewards.py', 'rubric.json', 'data/train.jsonl', 'data/eval.jsonl', 'README.md']));
    for (const f of files) expect(existsSync(join(out, f)), f).toBe(true);
    const model = await loadModelFolder(nodeDirSource(join(out, 'model')));
    expect(model.layout.count).toBe(80_640);
  });

  it('refuses a non-empty --out, an unknown target and an invalid config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'export-cli-'));
    await writeFile(join(dir, 'keep.txt'), 'mine');
    await expect(exportCommand({ to: 'verifiers', preset: 'arithmetic', out: dir })).rejects.toThrow(/--out .* is not empty/);
    expect(await readdir(dir)).toEqual(['keep.txt']);
    await expect(exportCommand({ to: 'deepspeed', preset: 'arithmetic', out: join(dir, 'x') })).rejects.toThrow(/--to must be one of trl, verifiers/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ version: 1, grpo: { lossType: 'ppo' } }));
    await expect(exportCommand({ to: 'trl', config: bad, out: join(dir, 'y') })).rejects.toThrow(/grpo.lossType: must be one of/);
    expect(existsSync(join(dir, 'y'))).toBe(false);
  });
});
