// Checkpoints and exact resume from the command line, as real processes: --checkpoint-every writes
// OUT/checkpoint-STEP, --resume continues with exactly the lines of the uninterrupted run (timing aside), and
// Ctrl-C (SIGINT) saves a checkpoint at the step in progress and says how to continue.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRunConfig } from '../rl/config/schema.ts';
import { TIMING_METRICS } from '../rl/metrics.ts';
import { PACKAGE_ROOT } from './models.ts';
import { CLI_BIN, runCli } from './testing/run-cli.ts';



type Line = Record<string, unknown>;
const readLog = async (path: string): Promise<Line[]> => (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
const strip = (lines: Line[]) => lines.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(TIMING_METRICS as readonly string[]).includes(k))));
const tag = (lines: Line[]) => lines.map((l) => `${l.type}@${l.step}`);

async function runConfig(steps: number): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'grpo-resume-'));
  const config = defaultRunConfig();
  config.grpo.promptsPerStep = 2;
  config.grpo.groupSize = 4;
  config.grpo.beta = 0.04; // a reference model and KL: more state to get right
  config.task.evalSize = 4;
  config.eval.every = 2;
  config.steps = steps;
  const file = join(dir, 'run.json');
  await writeFile(file, JSON.stringify(config));
  return { dir, file };
}

describe('grpo-playground train --checkpoint-every / --resume', () => {
  it('resumed from checkpoint-2 appends exactly the lines the uninterrupted run wrote after step 2', async () => {
    const { dir, file } = await runConfig(4);
    const out = join(dir, 'out');
    const a = await runCli(['train', '--config', file, '--backend', 'cpu', '--quiet', '--log', join(dir, 'a.jsonl'), '--out', out, '--checkpoint-every', '2']);
    expect(a.code, a.stderr).toBe(0);
    expect((await readdir(out)).filter((n) => n.startsWith('checkpoint-')).sort()).toEqual(['checkpoint-2', 'checkpoint-4']);
    const full = await readLog(join(dir, 'a.jsonl'));
    expect(tag(full)).toEqual(['eval@0', 'train@1', 'train@2', 'eval@2', 'train@3', 'train@4', 'eval@4']);

    const b = await runCli(['train', '--resume', join(out, 'checkpoint-2'), '--backend', 'cpu', '--quiet', '--log', join(dir, 'b.jsonl')]);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain(`resumed at step 2 from ${join(out, 'checkpoint-2')}`);
    const rest = await readLog(join(dir, 'b.jsonl'));
    expect(tag(rest)).toEqual(['train@3', 'train@4', 'eval@4']);
    expect(strip(rest)).toEqual(strip(full.slice(4)));
    // The final summary still starts from the step-0 evaluation (kept in the checkpoint).
    expect(b.stderr).toContain(`eval/accuracy ${(full[0]['eval/accuracy'] as number).toFixed(3)} ->`);
  });

  it('bad --resume input: one clear line', async () => {
    const { dir } = await runConfig(2);
    const missing = await runCli(['train', '--resume', join(dir, 'nowhere'), '--backend', 'cpu']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n').filter((l) => !l.includes('XDG'))).toEqual([`error: --resume ${join(dir, 'nowhere')}: no checkpoint.json and trainer_state.safetensors there`]);
    const clash = await runCli(['train', '--resume', dir, '--steps', '9']);
    expect(clash.stderr).toContain("--resume continues the checkpoint's own run config: drop --steps");
    const noOut = await runCli(['train', '--checkpoint-every', '2']);
    expect(noOut.stderr).toContain('--checkpoint-every needs --out');
  });

  it('Ctrl-C saves a checkpoint at the step in progress and says how to continue', async () => {
    const { dir, file } = await runConfig(30);
    const out = join(dir, 'out');
    const log = join(dir, 'c.jsonl');
    const child = spawn(process.execPath, [CLI_BIN, 'train', '--config', file, '--backend', 'cpu', '--quiet', '--log', log, '--out', out], { cwd: PACKAGE_ROOT });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Interrupt once the first training step is on disk.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const text = await readFile(log, 'utf8').catch(() => '');
      if (text.includes('"type":"train"')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const match = /interrupted at step (\d+); continue with: grpo-playground train --resume (\S+)/.exec(stderr);
    expect(match, stderr).not.toBeNull();
    const step = Number(match![1]);
    expect(step).toBeLessThan(30);
    const lines = await readLog(log);
    expect(lines.filter((l) => l.type === 'train').at(-1)?.step).toBe(step);
    expect(match![2]).toBe(join(out, `checkpoint-${step}`));
    expect(await readdir(match![2])).toEqual(['checkpoint.json', 'trainer_state.safetensors']);
  }, 120_000);
});
