// The bundled models' recipe as a user runs it: a real `pretrain` process writes a model folder that loads
// back, the same seed gives the same bytes, and --catalog records a valid entry with measured baselines;
// multi-turn presets train on played demonstrations; bad flags are refused with one line.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { parseModelCatalog } from '../rl/model-catalog.ts';
import { PACKAGE_ROOT } from './models.ts';

const BIN = join(PACKAGE_ROOT, 'bin', 'grpo-playground.mjs');
const run = (args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT });

describe('grpo-playground pretrain', () => {
  it('writes a loadable folder, deterministically, and records it in a catalogue', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grpo-pretrain-'));
    const small = ['--preset', 'arithmetic,sort', '--steps', '3', '--batch', '4', '--hidden', '16', '--layers', '1', '--backend', 'cpu'];
    const catalog = join(dir, 'index.json');
    const { stderr } = await run(['pretrain', ...small, '--out', join(dir, 'a'), '--catalog', catalog, '--name', 'Test model']);
    expect(stderr).toMatch(/preset arithmetic: step-0 eval accuracy \d\.\d{3}/);
    await run(['pretrain', ...small, '--out', join(dir, 'b')]);

    const [a, b] = await Promise.all([readFile(join(dir, 'a', 'model.safetensors')), readFile(join(dir, 'b', 'model.safetensors'))]);
    expect(a.equals(b)).toBe(true);
    const loaded = await loadModelFolder(nodeDirSource(join(dir, 'a')));
    expect(loaded.config.hidden_size).toBe(16);

    const entry = parseModelCatalog(await readFile(catalog, 'utf8')).models[0];
    expect(entry).toMatchObject({ id: 'a', name: 'Test model', params: loaded.layout.count, bytes: a.length, tasks: ['arithmetic', 'sort'] });
    expect(Object.keys(entry.baselines)).toEqual(['arithmetic', 'sort']);
    expect(entry.recipe).toContain('--preset arithmetic,sort');
  }, 120_000);

  it('pretrains on a multi-turn preset (calculator) deterministically, with the tool tags as whole tokens', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grpo-pretrain-'));
    const small = ['--preset', 'calculator', '--direct', '0.7', '--steps', '2', '--batch', '2', '--hidden', '16', '--layers', '1', '--backend', 'cpu'];
    const catalog = join(dir, 'index.json');
    const { stderr } = await run(['pretrain', ...small, '--out', join(dir, 'a'), '--catalog', catalog]);
    expect(stderr).toMatch(/preset calculator: step-0 eval accuracy \d\.\d{3}/);
    await run(['pretrain', ...small, '--out', join(dir, 'b')]);
    const [a, b] = await Promise.all([readFile(join(dir, 'a', 'model.safetensors')), readFile(join(dir, 'b', 'model.safetensors'))]);
    expect(a.equals(b)).toBe(true);
    const loaded = await loadModelFolder(nodeDirSource(join(dir, 'a')));
    expect(loaded.tokenizer.encode('<tool>calculator</tool><args>1+2</args>')).toHaveLength(17);
    const entry = parseModelCatalog(await readFile(catalog, 'utf8')).models[0];
    expect(entry).toMatchObject({ id: 'a', tasks: ['calculator'], presets: ['calculator'] });
    expect(entry.recipe).toContain('--direct 0.7');
  }, 120_000);

  it('refuses a flaw probability outside [0, 1] with one line', async () => {
    const err = (await run(['pretrain', '--preset', 'guess-number', '--guess-scan', '1.5', '--out', join(tmpdir(), 'never')]).catch((e) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/--guess-scan must be a number in \[0, 1\], got "1.5"/);
    const words = (await run(['pretrain', '--preset', 'word-game', '--word-ignore-absent', '1.2', '--out', join(tmpdir(), 'never')]).catch((e) => e)) as { code: number; stderr: string };
    expect(words.code).toBe(1);
    expect(words.stderr).toMatch(/--word-ignore-absent must be a number in \[0, 1\], got "1.2"/);
  });

  it('refuses an unknown preset with one line', async () => {
    const err = await run(['pretrain', '--preset', 'nope', '--out', join(tmpdir(), 'never')]).catch((e) => e as { code: number; stderr: string });
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr).toMatch(/unknown preset 'nope'/);
  });
});
