// The command line as a user runs it: real processes, real files. Bad input exits non-zero with one clear
// line; the same seed gives the same log (timing fields aside); --out writes a folder that loads back.
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../engine/cpu/backend.ts';
import { loadModelFolder } from '../engine/io/model-folder.ts';
import { nodeDirSource } from '../engine/io/node-source.ts';
import { defaultRunConfig } from '../rl/config/schema.ts';
import { TIMING_METRICS } from '../rl/metrics.ts';
import { Trainer } from '../rl/trainer.ts';
import { PACKAGE_ROOT } from './models.ts';
import { runCli } from './testing/run-cli.ts';



function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('XDG_RUNTIME_DIR'));
}

describe('grpo-playground CLI: bad input', () => {
  it.each([
    [['train', '--preset', 'nope'], /unknown preset 'nope' \(known: .*arithmetic/],
    [['train', '--bogus'], /unknown option '--bogus'/],
    [['train', '--steps', 'many'], /--steps must be an integer/],
    [['train', '--backend', 'tpu'], /--backend.*tpu.*(cpu|choices)/],
    [['train', '--preset', 'arithmetic', '--url', 'http://x/#run=abc'], /at most one of --preset, --config and --url/],
    [['train', '--url', 'http://localhost/#run=%%%'], /share link/],
    [['train', '--config', '/nonexistent.json'], /cannot read --config/],
  ])('%j fails with one clear line', async (args, pattern) => {
    const r = await runCli(args as string[]);
    expect(r.code).not.toBe(0);
    const lines = errorLines(r.stderr);
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });

  it('an invalid config file names the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grpo-cli-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ ...defaultRunConfig(), grpo: { ...defaultRunConfig().grpo, learningRate: -1 } }));
    const r = await runCli(['train', '--config', file]);
    expect(r.code).toBe(1);
    expect(errorLines(r.stderr)).toEqual([expect.stringMatching(/grpo\.learningRate/)]);
  });
});

describe('grpo-playground eval --backend webgpu', async () => {
  const { testBackend } = await import('../engine/webgpu/testing.ts');
  const gpu = await testBackend(); // fails under CI when there is no adapter, skips loudly elsewhere
  it.skipIf(!gpu)('the step-0 evaluation on WebGPU (Dawn) equals the CPU backend', async () => {
    const table = async (backend: string) => {
      const r = await runCli(['eval', '--samples', '8', '--backend', backend]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.split('\n').filter((l) => l.startsWith('eval/'));
    };
    const cpu = await table('cpu');
    expect(cpu.length).toBeGreaterThanOrEqual(2);
    expect(await table('webgpu')).toEqual(cpu);
  });
});

describe('grpo-playground train', () => {
  it('same seed => same JSONL apart from timing; eval at step 0 and the end; --out loads back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grpo-cli-'));
    const config = defaultRunConfig();
    config.grpo.promptsPerStep = 2;
    config.grpo.groupSize = 4;
    config.task.evalSize = 8;
    config.steps = 2;
    const file = join(dir, 'run.json');
    await writeFile(file, JSON.stringify(config));
    const run = async (name: string) => {
      const r = await runCli(['train', '--config', file, '--seed', '7', '--backend', 'cpu', '--quiet', '--log', join(dir, `${name}.jsonl`), '--out', join(dir, name)]);
      expect(r.code, r.stderr).toBe(0);
      return (await readFile(join(dir, `${name}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    };
    const a = await run('a');
    const b = await run('b');
    const strip = (lines: Record<string, unknown>[]) =>
      lines.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(TIMING_METRICS as readonly string[]).includes(k))));
    expect(strip(a)).toEqual(strip(b));
    expect(a.map((l) => `${l.type}@${l.step}`)).toEqual(['eval@0', 'train@1', 'train@2', 'eval@2']);
    expect(a[1]).toHaveProperty('reward');
    expect(a[1]).toHaveProperty('rewards/correct_answer/mean');
    // The exported model, evaluated afresh, reproduces the final eval line.
    const loaded = await loadModelFolder(nodeDirSource(join(dir, 'a')));
    const trainer = await Trainer.create({ ...config, seed: 7 }, loaded, new CpuBackend());
    const e = await trainer.evaluate();
    expect(e.metrics['eval/reward']).toBeCloseTo(a[3]['eval/reward'] as number, 10);
    const other = await runCli(['train', '--config', file, '--seed', '8', '--backend', 'cpu', '--quiet', '--log', join(dir, 'd.jsonl')]);
    expect(other.code).toBe(0);
    const d = (await readFile(join(dir, 'd.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(strip(d)).not.toEqual(strip(a));
  });
});

describe('grpo-playground --model DIR', () => {
  it('train and eval name the folder they loaded, not the config\'s model id', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'grpo-cli-'));
    const folder = join(dir, 'my-model');
    await cp(join(PACKAGE_ROOT, 'public', 'models', 'tiny-arith'), folder, { recursive: true });
    const config = defaultRunConfig();
    config.steps = 0;
    config.task.evalSize = 2;
    config.eval.maxNewTokens = 4;
    const file = join(dir, 'run.json');
    await writeFile(file, JSON.stringify(config));
    const train = await runCli(['train', '--config', file, '--model', folder, '--backend', 'cpu', '--quiet']);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain(`model ${folder} (`);
    const evaluation = await runCli(['eval', '--config', file, '--model', folder, '--backend', 'cpu']);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(evaluation.stdout.split('\n')[0]).toContain(`model ${folder} | task`);
  });
});
